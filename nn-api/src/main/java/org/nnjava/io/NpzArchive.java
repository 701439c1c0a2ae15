package org.nnjava.io;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * The whole content of an {@code .npz} file: its arrays (entries {@code <name>.npy}, by array name) and
 * its other entries, such as a {@code checkpoint.json} of training metadata, as raw bytes by entry name.
 * NumPy reads both kinds: {@code np.load(f)["W1"]} is an array, {@code np.load(f)["checkpoint.json"]}
 * the entry's bytes.
 *
 * <p>Immutable: both maps are unmodifiable and keep the order given (for a loaded archive, the archive's
 * order); the byte arrays are copied in when the archive is made and copied out by {@link #files()} and
 * {@link #file(String)}, so no caller can change another's view. Equality compares the files' contents.
 *
 * @param arrays array names (such as {@code W1}) to arrays
 * @param files entry names (such as {@code checkpoint.json}) to their bytes
 */
public record NpzArchive(Map<String, NpyArray> arrays, Map<String, byte[]> files) {

    /**
     * Copies both maps, keeping their iteration order.
     *
     * @param arrays array names to arrays
     * @param files entry names to their bytes, each copied
     * @throws NullPointerException if a map, a name or a value is null
     */
    public NpzArchive {
        arrays = copy(arrays, "arrays", array -> array);
        files = copy(files, "files", byte[]::clone);
    }

    /**
     * The non-array entries by entry name, in order; unmodifiable, each byte array a fresh copy.
     *
     * @return a new map
     */
    @Override
    public Map<String, byte[]> files() {
        return copy(files, "files", byte[]::clone);
    }

    /**
     * One non-array entry's bytes, a fresh copy.
     *
     * @return the bytes, or null if the archive has no entry of that name
     * @param name the entry's name, e.g. {@code checkpoint.json}
     */
    public byte[] file(String name) {
        byte[] content = files.get(name);
        return content == null ? null : content.clone();
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof NpzArchive)) {
            return false;
        }
        NpzArchive that = (NpzArchive) other;
        if (!arrays.equals(that.arrays) || !files.keySet().equals(that.files.keySet())) {
            return false;
        }
        return files.entrySet().stream().allMatch(e -> Arrays.equals(e.getValue(), that.files.get(e.getKey())));
    }

    @Override
    public int hashCode() {
        int hash = arrays.hashCode();
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            hash += e.getKey().hashCode() ^ Arrays.hashCode(e.getValue());
        }
        return hash;
    }

    /** {@code NpzArchive[arrays={W1=float64 [2, 3]}, files={checkpoint.json=120 bytes}]}: no contents. */
    @Override
    public String toString() {
        Map<String, String> sizes = new LinkedHashMap<>();
        files.forEach((name, content) -> sizes.put(name, content.length + " bytes"));
        return "NpzArchive[arrays=" + arrays + ", files=" + sizes + "]";
    }

    private static <T> Map<String, T> copy(Map<String, T> map, String what, UnaryOperator<T> copier) {
        Objects.requireNonNull(map, what);
        Map<String, T> copy = new LinkedHashMap<>();
        map.forEach((name, value) -> {
            Objects.requireNonNull(name, () -> what + ": a name is null");
            copy.put(name, copier.apply(Objects.requireNonNull(value, () -> what + ": '" + name + "' is null")));
        });
        return Collections.unmodifiableMap(copy);
    }
}
