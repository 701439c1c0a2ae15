package org.nnjava.sparkapp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The jar for spark-submit: one services file listing both backends (a fat jar that kept only one is
 * the "no backend" report of DJL's and DL4J's trackers), no Spark inside, and both backends found and
 * available when the application runs from it beside Spark's own jars.
 */
class FatJarIT {

    private static Path fatJar() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            return files.filter(p -> p.getFileName().toString().endsWith("-all.jar")).findFirst()
                    .orElseThrow(() -> new AssertionError("no *-all.jar in target: the shade plugin did not run"));
        }
    }

    @Test
    void theServicesFileListsBothBackendsAndSparkIsLeftToTheCluster() throws IOException {
        try (JarFile jar = new JarFile(fatJar().toFile())) {
            String services = new String(jar.getInputStream(jar.getEntry("META-INF/services/org.nnjava.spi.BackendProvider"))
                    .readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(services.contains("org.nnjava.backend.ejml.EjmlBackendProvider"), services);
            assertTrue(services.contains("org.nnjava.backend.nd4j.Nd4jBackendProvider"), services);
            assertEquals(null, jar.getEntry("org/apache/spark/SparkContext.class"), "Spark is the cluster's");
            assertEquals("org.nnjava.examples.NnCli", jar.getManifest().getMainAttributes().getValue("Main-Class"));
        }
    }

    @Test
    void theApplicationFindsBothBackendsWhenRunFromTheJar() throws Exception {
        String spark = Files.readString(Path.of("..", "nn-spark", "target", "runtime.classpath")).trim();
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-cp", fatJar() + java.io.File.pathSeparator + spark, "org.nnjava.examples.NnCli", "backends");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), out);
        assertTrue(out.contains("ejml") && out.contains("nd4j"), out);
        assertTrue(!out.toLowerCase(java.util.Locale.ROOT).contains("unavailable"), out);
    }
}
