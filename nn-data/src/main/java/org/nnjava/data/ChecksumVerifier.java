package org.nnjava.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Digests bytes as they stream past and checks them against a file's published checksums: every one of
 * them must match (a data set may publish its files' digests in more than one algorithm). Not
 * thread-safe.
 */
final class ChecksumVerifier {

    private final List<Checksum> expected;
    private final Map<String, MessageDigest> digests = new LinkedHashMap<>();

    /** @throws IllegalArgumentException if {@code expected} is empty: a file must be checked against something */
    ChecksumVerifier(List<Checksum> expected) {
        if (expected.isEmpty()) {
            throw new IllegalArgumentException("no checksum to verify against");
        }
        this.expected = List.copyOf(expected);
        for (Checksum checksum : expected) {
            digests.computeIfAbsent(checksum.algorithm(), ChecksumVerifier::newDigest);
        }
    }

    /** Feeds {@code length} bytes from {@code offset}. */
    void update(byte[] bytes, int offset, int length) {
        for (MessageDigest digest : digests.values()) {
            digest.update(bytes, offset, length);
        }
    }

    /**
     * Checks the bytes fed so far; the verifier is then reset.
     *
     * @param what names the file in the message
     * @throws ChecksumMismatchException unless every expected checksum matches
     */
    void verify(String what) throws ChecksumMismatchException {
        Map<String, String> found = new LinkedHashMap<>();
        digests.forEach((algorithm, digest) -> found.put(algorithm, HexFormat.of().formatHex(digest.digest())));
        List<Checksum> wrong = expected.stream().filter(c -> !c.hex().equals(found.get(c.algorithm()))).toList();
        if (!wrong.isEmpty()) {
            throw new ChecksumMismatchException(what + ": " + wrong.stream()
                    .map(c -> c.algorithm() + " is " + found.get(c.algorithm()) + ", expected the published " + c.hex())
                    .collect(Collectors.joining("; ")) + "; the file is damaged or not the genuine one");
        }
    }

    /** Checks a whole file against {@code expected}. */
    static void verifyFile(Path file, List<Checksum> expected) throws IOException {
        ChecksumVerifier verifier = new ChecksumVerifier(expected);
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n = in.read(buffer); n != -1; n = in.read(buffer)) {
                verifier.update(buffer, 0, n);
            }
        }
        verifier.verify(file.toString());
    }

    private static MessageDigest newDigest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform must provide MD5 and SHA-256 (MessageDigest's contract), the only two Checksum allows.
            throw new IllegalStateException(algorithm + " is missing from this JVM's security providers", e);
        }
    }
}
