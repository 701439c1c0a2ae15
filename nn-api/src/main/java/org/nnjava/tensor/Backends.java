package org.nnjava.tensor;

import java.util.List;
import org.nnjava.spi.BackendProvider;

/**
 * Finds and chooses the tensor backend. The process-wide {@link BackendRegistry} is created on first
 * use by discovering providers on this class's class loader and the thread's context class loader.
 *
 * <p>Choice order: a name given in code, then {@code -Dnn.backend=NAME}, then the environment variable
 * {@code NN_BACKEND}, then the available provider of highest priority.
 */
public final class Backends {

    private static BackendRegistry registry;

    private Backends() {
    }

    /**
     * The process-wide registry, discovered on first use.
     *
     * @return the registry {@link #get()} and the other methods use, reading {@code nn.backend} and {@code NN_BACKEND}
     */
    public static synchronized BackendRegistry registry() {
        if (registry == null) {
            BackendRegistry r = new BackendRegistry().discover(Backends.class.getClassLoader());
            ClassLoader context = Thread.currentThread().getContextClassLoader();
            if (context != null && context != Backends.class.getClassLoader()) {
                r.discover(context);
            }
            registry = r;
        }
        return registry;
    }

    /**
     * The chosen backend, float64.
     *
     * @return a float64 backend of the chosen provider
     * @throws BackendSelectionException if no backend can be chosen; the message says what to do
     */
    public static Backend get() {
        return get(null, DType.FLOAT64);
    }

    /**
     * The chosen backend for {@code dtype}.
     *
     * @param dtype the dtype of the backend's tensors
     * @return a backend of the chosen provider
     * @throws BackendSelectionException if no backend can be chosen; the message says what to do
     */
    public static Backend get(DType dtype) {
        return get(null, dtype);
    }

    /**
     * The backend named {@code name} (or, if null, chosen by property, environment, priority) for
     * {@code dtype}.
     *
     * @param name a provider's name, or null
     * @param dtype the dtype of the backend's tensors
     * @return a backend of the named or chosen provider
     * @throws BackendSelectionException if no backend can be chosen; the message says what to do
     */
    public static Backend get(String name, DType dtype) {
        return registry().backend(name, dtype);
    }

    /**
     * Which backend {@link #get()} would choose, and why.
     *
     * @return the chosen provider's name and the reason
     * @throws BackendSelectionException if no backend can be chosen
     */
    public static BackendRegistry.Choice choose() {
        return registry().choose(null);
    }

    /**
     * Every provider found, with availability.
     *
     * @return every provider of the registry, highest priority first
     */
    public static List<ProviderInfo> providers() {
        return registry().providers();
    }

    /**
     * A human-readable report of the providers found and the choice.
     *
     * @return the registry's {@link BackendRegistry#describe()}
     */
    public static String describe() {
        return registry().describe();
    }

    /**
     * Adds the providers visible through {@code loader} (a plugin host's or a REPL's).
     *
     * @param loader the class loader whose {@code META-INF/services} entries are read
     */
    public static void discover(ClassLoader loader) {
        registry().discover(loader);
    }

    /**
     * Registers a provider by hand.
     *
     * @param provider the provider; registering its class a second time keeps the first
     */
    public static void register(BackendProvider provider) {
        registry().register(provider);
    }
}
