package org.nnjava.tensor;

import java.net.URL;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.nnjava.spi.Availability;
import org.nnjava.spi.BackendProvider;

/**
 * The set of known backend providers and the rules for choosing one. {@link Backends} holds the
 * process-wide instance; build your own to control discovery (a plugin host's class loader, providers
 * registered by hand, or a fixed configuration in tests).
 *
 * <p>Choice order: a name given in code, then the system property {@value #PROPERTY}, then the
 * environment variable {@value #ENVIRONMENT}, then the highest-priority provider that can run. A
 * named backend that is unknown or cannot run is an error, never a silent fallback; so are two
 * providers with one name and a tie at the top priority.
 */
public final class BackendRegistry {

    /** The system property that names the backend. */
    public static final String PROPERTY = "nn.backend";
    /** The environment variable that names the backend. */
    public static final String ENVIRONMENT = "NN_BACKEND";
    /** What to add when no backend is found. */
    static final String ARTIFACTS = "org.nnjava:nn-backend-ejml (pure Java) or org.nnjava:nn-backend-nd4j (native BLAS)";

    private final UnaryOperator<String> systemProperties;
    private final UnaryOperator<String> environment;
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final List<ProviderInfo> broken = new ArrayList<>();

    /** How a backend was chosen: the provider and the rule that picked it. */
    public record Choice(String name, String reason) {
    }

    private static final class Entry {
        final BackendProvider provider;
        final ProviderInfo partial;
        Availability availability;

        Entry(BackendProvider provider, ProviderInfo partial) {
            this.provider = provider;
            this.partial = partial;
        }
    }

    /** An empty registry reading the real system properties and environment. */
    public BackendRegistry() {
        this(System::getProperty, System::getenv);
    }

    /**
     * An empty registry with the given sources for {@value #PROPERTY} and {@value #ENVIRONMENT} (for tests).
     *
     * @param systemProperties looks up a system property by name (null when unset), as {@link System#getProperty(String)}
     * @param environment looks up an environment variable by name (null when unset), as {@link System#getenv(String)}
     */
    public BackendRegistry(UnaryOperator<String> systemProperties, UnaryOperator<String> environment) {
        this.systemProperties = systemProperties;
        this.environment = environment;
    }

    /**
     * Adds every provider that {@link ServiceLoader} finds through {@code loader}. A provider that
     * cannot be loaded or constructed is listed as broken, with the error, and discovery goes on.
     *
     * @param loader the class loader whose {@code META-INF/services} entries are read
     * @return this registry
     */
    public synchronized BackendRegistry discover(ClassLoader loader) {
        Iterator<BackendProvider> it = ServiceLoader.load(BackendProvider.class, loader).iterator();
        while (true) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                register(it.next());
            } catch (ServiceConfigurationError e) {
                broken.add(new ProviderInfo("?", "?", "?", 0, Availability.unavailable(
                        "could not be loaded: " + e.getMessage()
                                + (e.getCause() != null ? " (" + e.getCause() + ")" : ""))));
            }
        }
        return this;
    }

    /**
     * Adds a provider; registering the same provider class twice keeps the first.
     *
     * @param provider the provider; kept and probed when first needed
     * @return this registry
     */
    public synchronized BackendRegistry register(BackendProvider provider) {
        String className = provider.getClass().getName();
        if (entries.containsKey(className)) {
            return this;
        }
        try {
            ProviderInfo info = new ProviderInfo(provider.name(), className, location(provider.getClass()),
                    provider.priority(), null);
            entries.put(className, new Entry(provider, info));
        } catch (RuntimeException | LinkageError e) {
            broken.add(new ProviderInfo("?", className, location(provider.getClass()), 0,
                    Availability.unavailable("its name() or priority() failed: " + e)));
        }
        return this;
    }

    /**
     * Every provider found, with its availability (probing each on first call), broken ones last.
     *
     * @return a new list, highest priority first
     */
    public synchronized List<ProviderInfo> providers() {
        List<ProviderInfo> list = new ArrayList<>();
        for (Entry e : entries.values()) {
            ProviderInfo p = e.partial;
            list.add(new ProviderInfo(p.name(), p.className(), p.location(), p.priority(), availability(e)));
        }
        list.sort(Comparator.comparingInt(ProviderInfo::priority).reversed().thenComparing(ProviderInfo::name));
        list.addAll(broken);
        return list;
    }

    /**
     * Chooses a backend by the rules above.
     *
     * @param nameInCode a name given in code, or null to consult the property, environment and priorities
     * @return the chosen provider's name and the reason it was chosen
     * @throws BackendSelectionException if no backend can be chosen
     */
    public Choice choose(String nameInCode) {
        return choose(nameInCode, "named in code");
    }

    /**
     * {@link #choose(String)}, with {@code source} saying in messages where the name came from (e.g.
     * {@code --backend ejml}).
     *
     * @param name a name given in code, or null to consult the property, environment and priorities
     * @param source where {@code name} came from, for messages
     * @return the chosen provider's name and the reason it was chosen
     * @throws BackendSelectionException if no backend can be chosen
     */
    public synchronized Choice choose(String name, String source) {
        requireUniqueNames();
        if (entries.isEmpty()) {
            throw new BackendSelectionException("no nnjava backend found on the classpath"
                    + (broken.isEmpty() ? "" : " (" + broken.size() + " provider(s) failed to load: "
                            + broken.stream().map(b -> b.availability().reason()).collect(Collectors.joining("; ")) + ")")
                    + ": add " + ARTIFACTS + " as a dependency");
        }
        String property = blankToNull(systemProperties.apply(PROPERTY));
        String env = blankToNull(environment.apply(ENVIRONMENT));
        if (name != null) {
            return named(name.trim(), source);
        }
        if (property != null) {
            return named(property.trim(), "-D" + PROPERTY + "=" + property);
        }
        if (env != null) {
            return named(env.trim(), ENVIRONMENT + "=" + env);
        }
        return best();
    }

    /**
     * The backend for {@code dtype} chosen by {@link #choose(String)}.
     *
     * @param nameInCode a name given in code, or null to consult the property, environment and priorities
     * @param dtype the dtype of the backend's tensors
     * @return a backend from the chosen provider
     * @throws BackendSelectionException if no backend can be chosen
     */
    public Backend backend(String nameInCode, DType dtype) {
        return backend(nameInCode, "named in code", dtype);
    }

    /**
     * {@link #backend(String, DType)}, with {@code source} naming where the name came from in messages.
     *
     * @param name a name given in code, or null to consult the property, environment and priorities
     * @param source where {@code name} came from, for messages
     * @param dtype the dtype of the backend's tensors
     * @return a backend from the chosen provider
     * @throws BackendSelectionException if no backend can be chosen
     */
    public Backend backend(String name, String source, DType dtype) {
        Choice choice = choose(name, source);
        BackendProvider provider;
        synchronized (this) {
            provider = byName(choice.name()).provider;
        }
        return provider.create(dtype);
    }

    /**
     * A report of every provider found and of the choice, for users diagnosing their classpath.
     *
     * @return several lines: each provider with its priority, availability or reason, class and jar, then
     *     the choice or why there is none
     */
    public String describe() {
        List<ProviderInfo> infos = providers();
        StringBuilder sb = new StringBuilder();
        sb.append("Backends found: ").append(infos.size()).append('\n');
        for (ProviderInfo p : infos) {
            sb.append(String.format("  %-6s priority %-4d %s%n", p.name(), p.priority(),
                    p.availability().available() ? "available" : "unavailable: " + p.availability().reason()));
            sb.append(String.format("         class %s%n         from  %s%n", p.className(), p.location()));
        }
        try {
            Choice choice = choose(null);
            sb.append("Chosen: ").append(choice.name()).append(" (").append(choice.reason()).append(")\n");
        } catch (BackendSelectionException e) {
            sb.append("Chosen: none: ").append(e.getMessage()).append('\n');
        }
        return sb.toString();
    }

    private Choice named(String name, String source) {
        Entry entry = byName(name);
        if (entry == null) {
            throw new BackendSelectionException("unknown backend '" + name + "' (" + source + "): found "
                    + names() + "; use one of those names, or add the backend's jar to the classpath");
        }
        Availability a = availability(entry);
        if (!a.available()) {
            throw new BackendSelectionException("backend '" + name + "' (" + source + ") cannot run here: "
                    + a.reason() + ". Name another backend; available: " + availableNames());
        }
        return new Choice(name, source);
    }

    private Choice best() {
        List<Entry> available = entries.values().stream().filter(e -> availability(e).available())
                .sorted(Comparator.comparingInt((Entry e) -> e.partial.priority()).reversed())
                .collect(Collectors.toList());
        if (available.isEmpty()) {
            throw new BackendSelectionException("no nnjava backend can run here: " + entries.values().stream()
                    .map(e -> e.partial.name() + ": " + availability(e).reason()).collect(Collectors.joining("; "))
                    + ". Fix the reason above, or add " + ARTIFACTS);
        }
        Entry top = available.get(0);
        if (available.size() > 1 && available.get(1).partial.priority() == top.partial.priority()) {
            Entry second = available.get(1);
            throw new BackendSelectionException("backends '" + top.partial.name() + "' (" + top.partial.className()
                    + ") and '" + second.partial.name() + "' (" + second.partial.className() + ") tie at priority "
                    + top.partial.priority() + ": name one with -D" + PROPERTY + "=NAME or " + ENVIRONMENT + "=NAME");
        }
        String reason = available.size() == 1 ? "the only available backend"
                : "highest priority among available backends: " + available.stream()
                        .map(e -> e.partial.name() + " " + e.partial.priority()).collect(Collectors.joining(", "));
        return new Choice(top.partial.name(), reason);
    }

    private void requireUniqueNames() {
        Map<String, Entry> seen = new LinkedHashMap<>();
        for (Entry e : entries.values()) {
            Entry previous = seen.putIfAbsent(e.partial.name(), e);
            if (previous != null) {
                throw new BackendSelectionException("two backend providers claim the name '" + e.partial.name() + "': "
                        + previous.partial.className() + " (" + previous.partial.location() + ") and "
                        + e.partial.className() + " (" + e.partial.location() + "); remove one of them from the classpath");
            }
        }
    }

    private Availability availability(Entry e) {
        if (e.availability == null) {
            e.availability = probe(e.provider);
        }
        return e.availability;
    }

    private static Availability probe(BackendProvider provider) {
        try {
            int version = provider.spiVersion();
            if (version != BackendProvider.SPI_VERSION) {
                return Availability.unavailable("built for backend SPI version " + version + ", but this nn-api speaks "
                        + BackendProvider.SPI_VERSION + ": use the backend release that matches your nn-api version");
            }
            Availability a = provider.probe();
            return a != null ? a : Availability.unavailable("its probe() returned null");
        } catch (AbstractMethodError e) {
            return Availability.unavailable("built for another backend SPI version (" + e.getMessage()
                    + "): use the backend release that matches your nn-api version");
        } catch (RuntimeException | LinkageError e) {
            return Availability.unavailable("its probe failed: " + e);
        }
    }

    private Entry byName(String name) {
        return entries.values().stream().filter(e -> e.partial.name().equals(name)).findFirst().orElse(null);
    }

    private String names() {
        return entries.isEmpty() ? "none" : entries.values().stream().map(e -> e.partial.name()).sorted()
                .collect(Collectors.joining(", "));
    }

    private String availableNames() {
        String names = entries.values().stream().filter(e -> availability(e).available())
                .map(e -> e.partial.name()).sorted().collect(Collectors.joining(", "));
        return names.isEmpty() ? "none" : names;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static String location(Class<?> type) {
        try {
            CodeSource source = type.getProtectionDomain().getCodeSource();
            URL url = source == null ? null : source.getLocation();
            return url == null ? "?" : url.getPath();
        } catch (SecurityException e) {
            return "?";
        }
    }
}
