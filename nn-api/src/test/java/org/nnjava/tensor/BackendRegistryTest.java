package org.nnjava.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnjava.spi.Availability;
import org.nnjava.spi.BackendProvider;

/** The choice rules and every discovery error, on providers made up for the test. */
class BackendRegistryTest {

    /** A provider with a given name, priority and availability; create() is never needed here. */
    private static class FakeProvider implements BackendProvider {
        private final String name;
        private final int priority;
        private final Availability availability;

        FakeProvider(String name, int priority, Availability availability) {
            this.name = name;
            this.priority = priority;
            this.availability = availability;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public int priority() {
            return priority;
        }

        @Override
        public int spiVersion() {
            return SPI_VERSION;
        }

        @Override
        public Availability probe() {
            return availability;
        }

        @Override
        public Backend create(DType dtype) {
            throw new UnsupportedOperationException("not needed by these tests");
        }
    }

    private static class SecondFakeProvider extends FakeProvider {
        SecondFakeProvider(String name, int priority) {
            super(name, priority, Availability.ok());
        }
    }

    private static final class FutureProvider extends FakeProvider {
        FutureProvider() {
            super("future", 99, Availability.ok());
        }

        @Override
        public int spiVersion() {
            return SPI_VERSION + 1;
        }
    }

    private static BackendRegistry registry(Map<String, String> properties, Map<String, String> env,
            BackendProvider... providers) {
        BackendRegistry r = new BackendRegistry(properties::get, env::get);
        for (BackendProvider p : providers) {
            r.register(p);
        }
        return r;
    }

    private static BackendRegistry registry(BackendProvider... providers) {
        return registry(Map.of(), Map.of(), providers);
    }

    private static final FakeProvider JAVA = new FakeProvider("java", 10, Availability.ok());
    private static final FakeProvider NATIVE = new SecondFakeProvider("native", 20);

    @Test
    void highestPriorityAvailableProviderIsChosen() {
        BackendRegistry.Choice choice = registry(JAVA, NATIVE).choose(null);
        assertEquals("native", choice.name());
        assertTrue(choice.reason().startsWith("highest priority"), choice.reason());
    }

    @Test
    void nameInCodeBeatsPropertyWhichBeatsEnvironment() {
        BackendRegistry r = registry(Map.of("nn.backend", "java"), Map.of("NN_BACKEND", "native"), JAVA, NATIVE);
        assertEquals("native", r.choose("native").name());
        assertEquals("named in code", r.choose("native").reason());
        assertEquals("java", r.choose(null).name());
        assertEquals("-Dnn.backend=java", r.choose(null).reason());
        BackendRegistry envOnly = registry(Map.of(), Map.of("NN_BACKEND", "java"), JAVA, NATIVE);
        assertEquals("java", envOnly.choose(null).name());
        assertEquals("NN_BACKEND=java", envOnly.choose(null).reason());
    }

    @Test
    void blankPropertyIsIgnored() {
        BackendRegistry r = registry(Map.of("nn.backend", " "), Map.of(), JAVA, NATIVE);
        assertEquals("native", r.choose(null).name());
    }

    @Test
    void unavailableProviderIsSkippedByPriority() {
        FakeProvider broken = new SecondFakeProvider("native", 20) {
            @Override
            public Availability probe() {
                return Availability.unavailable("libnative.so failed to load");
            }
        };
        assertEquals("java", registry(JAVA, broken).choose(null).name());
    }

    @Test
    void noBackendNamesBothArtifacts() {
        BackendSelectionException e = assertThrows(BackendSelectionException.class, () -> registry().choose(null));
        assertTrue(e.getMessage().contains("no nnjava backend found on the classpath"), e.getMessage());
        assertTrue(e.getMessage().contains("org.nnjava:nn-backend-ejml"), e.getMessage());
        assertTrue(e.getMessage().contains("org.nnjava:nn-backend-nd4j"), e.getMessage());
    }

    @Test
    void unknownNameListsTheNamesFound() {
        BackendRegistry r = registry(Map.of(), Map.of("NN_BACKEND", "cuda"), JAVA, NATIVE);
        BackendSelectionException e = assertThrows(BackendSelectionException.class, () -> r.choose(null));
        assertEquals("unknown backend 'cuda' (NN_BACKEND=cuda): found java, native; use one of those names,"
                + " or add the backend's jar to the classpath", e.getMessage());
    }

    @Test
    void namedButUnavailableIsAnErrorNotAFallback() {
        FakeProvider broken = new SecondFakeProvider("native", 20) {
            @Override
            public Availability probe() {
                return Availability.unavailable("libnative.so failed to load");
            }
        };
        BackendRegistry r = registry(JAVA, broken);
        BackendSelectionException e = assertThrows(BackendSelectionException.class, () -> r.choose("native"));
        assertTrue(e.getMessage().contains("backend 'native' (named in code) cannot run here: libnative.so failed to load"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("available: java"), e.getMessage());
    }

    @Test
    void twoProvidersWithOneNameNameBothClasses() {
        BackendRegistry r = registry(JAVA, new SecondFakeProvider("java", 5));
        BackendSelectionException e = assertThrows(BackendSelectionException.class, () -> r.choose(null));
        assertTrue(e.getMessage().startsWith("two backend providers claim the name 'java': "), e.getMessage());
        assertTrue(e.getMessage().contains(FakeProvider.class.getName()), e.getMessage());
        assertTrue(e.getMessage().contains(SecondFakeProvider.class.getName()), e.getMessage());
    }

    @Test
    void tieAtTopPriorityIsAnError() {
        BackendRegistry r = registry(new FakeProvider("a", 7, Availability.ok()), new SecondFakeProvider("b", 7));
        BackendSelectionException e = assertThrows(BackendSelectionException.class, () -> r.choose(null));
        assertTrue(e.getMessage().contains("tie at priority 7"), e.getMessage());
        assertEquals("b", r.choose("b").name());
    }

    @Test
    void providerForAnotherSpiVersionIsRefused() {
        BackendRegistry r = registry(JAVA, new FutureProvider());
        assertEquals("java", r.choose(null).name());
        ProviderInfo future = r.providers().get(0);
        assertEquals("future", future.name());
        assertFalse(future.availability().available());
        assertTrue(future.availability().reason().contains("built for backend SPI version " + (BackendProvider.SPI_VERSION + 1)),
                future.availability().reason());
    }

    @Test
    void probeThatThrowsIsReportedNotPropagated() {
        FakeProvider throwing = new SecondFakeProvider("native", 20) {
            @Override
            public Availability probe() {
                throw new UnsatisfiedLinkError("no jninative in java.library.path");
            }
        };
        BackendRegistry r = registry(JAVA, throwing);
        assertEquals("java", r.choose(null).name());
        String reason = r.providers().get(0).availability().reason();
        assertTrue(reason.contains("no jninative in java.library.path"), reason);
    }

    @Test
    void registeringTheSameClassTwiceKeepsOne() {
        BackendRegistry r = registry(JAVA, JAVA);
        assertEquals(1, r.providers().size());
    }

    @Test
    void describeListsEveryProviderAndTheChoice() {
        String text = registry(JAVA, NATIVE).describe();
        assertTrue(text.startsWith("Backends found: 2\n"), text);
        assertTrue(text.indexOf("native") < text.indexOf("java"), "highest priority first:\n" + text);
        assertTrue(text.contains(SecondFakeProvider.class.getName()), text);
        assertTrue(text.contains("Chosen: native (highest priority"), text);
    }

    @Test
    void brokenServiceEntryIsReportedAndDiscoveryGoesOn(@TempDir Path dir) throws IOException {
        Path services = dir.resolve("META-INF/services");
        Files.createDirectories(services);
        Files.writeString(services.resolve(BackendProvider.class.getName()), "com.example.MissingProvider\n",
                StandardCharsets.UTF_8);
        // The loader lists only this directory's service file: the test class path has one of its own (the reference backend's).
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader()) {
            @Override
            public Enumeration<URL> getResources(String name) throws IOException {
                return findResources(name);
            }
        }) {
            BackendRegistry r = new BackendRegistry(k -> null, k -> null).discover(loader).register(JAVA);
            List<ProviderInfo> providers = r.providers();
            assertEquals(2, providers.size());
            assertTrue(providers.get(1).availability().reason().contains("com.example.MissingProvider"),
                    providers.get(1).availability().reason());
            assertEquals("java", r.choose(null).name());
        }
    }
}
