package org.nnjava.data;

import java.util.Locale;

/**
 * A published digest of a file: the algorithm ({@code MD5} or {@code SHA-256}, the two that data set
 * publishers use) and the digest as lower-case hexadecimal.
 *
 * @param algorithm {@code MD5} or {@code SHA-256}
 * @param hex the digest, lower-case hexadecimal: 32 digits for MD5, 64 for SHA-256
 */
public record Checksum(String algorithm, String hex) {

    /**
     * A checksum of the given algorithm and digest.
     *
     * @param algorithm {@code MD5} or {@code SHA-256}
     * @param hex the digest as hexadecimal of the algorithm's length (upper case is accepted and lowered)
     * @throws IllegalArgumentException for another algorithm, or a digest that is not hexadecimal of the
     *     algorithm's length
     */
    public Checksum {
        int hexLength = switch (algorithm) {
            case "MD5" -> 32;
            case "SHA-256" -> 64;
            default -> throw new IllegalArgumentException("checksum algorithm '" + algorithm
                    + "' is not supported; use MD5 or SHA-256");
        };
        hex = hex.toLowerCase(Locale.ROOT);
        if (hex.length() != hexLength || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new IllegalArgumentException(algorithm + " checksum '" + hex + "' must be " + hexLength
                    + " hexadecimal digits");
        }
    }

    /**
     * An MD5 digest, as torchvision and Fashion-MNIST publish them.
     *
     * @param hex 32 hexadecimal digits
     * @return the checksum
     * @throws IllegalArgumentException if {@code hex} is not 32 hexadecimal digits
     */
    public static Checksum md5(String hex) {
        return new Checksum("MD5", hex);
    }

    /**
     * A SHA-256 digest.
     *
     * @param hex 64 hexadecimal digits
     * @return the checksum
     * @throws IllegalArgumentException if {@code hex} is not 64 hexadecimal digits
     */
    public static Checksum sha256(String hex) {
        return new Checksum("SHA-256", hex);
    }

    /** {@code MD5 f68b3c2dcbeaaa9fbdd348bbdeb94873}. */
    @Override
    public String toString() {
        return algorithm + " " + hex;
    }
}
