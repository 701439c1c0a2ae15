package org.nnjava.spark;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Opens the Spark context a training run uses, after checking the master URL: {@code local},
 * {@code local[N]}, {@code local[*]}, {@code local[N,F]} (F attempts per task) or
 * {@code spark://HOST:PORT}. A standalone master is probed with a TCP connection first, so that an
 * unreachable one is an error within seconds instead of Spark's minute of retries.
 */
public final class SparkContexts {

    private static final Pattern LOCAL = Pattern.compile("local(\\[(\\*|[1-9][0-9]{0,3})(,[1-9][0-9]{0,2})?\\])?");
    private static final Pattern STANDALONE = Pattern.compile("spark://([A-Za-z0-9.\\-]+|\\[[0-9a-fA-F:]+\\]):([0-9]{1,5})");

    /** How long the probe of a standalone master waits for a connection. */
    public static final int PROBE_TIMEOUT_MILLIS = 3000;

    private SparkContexts() {
    }

    /**
     * Checks {@code master}, probing a standalone master's port.
     *
     * @param master the master URL, as {@code --spark} takes it
     * @throws IllegalArgumentException naming the URL and the accepted forms, or the unreachable master
     */
    public static void check(String master) {
        if (LOCAL.matcher(master).matches()) {
            return;
        }
        Matcher m = STANDALONE.matcher(master);
        if (!m.matches() || Integer.parseInt(m.group(2)) > 65535) {
            throw new IllegalArgumentException("--spark '" + master + "' is not a Spark master URL: use local[N], local[*]"
                    + " or spark://HOST:PORT (a standalone master, by default port 7077)");
        }
        String host = m.group(1).replace("[", "").replace("]", "");
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, Integer.parseInt(m.group(2))), PROBE_TIMEOUT_MILLIS);
        } catch (IOException e) {
            throw new IllegalArgumentException("--spark " + master + ": cannot reach the Spark master (" + e.getMessage()
                    + "); start it (sbin/start-master.sh, or scripts/spark-cluster.sh) or check the host and port", e);
        }
    }

    /**
     * A context for {@code master} named {@code appName}: the web UI off, the driver bound to its own
     * host's loopback address in local mode.
     *
     * @param master the master URL ({@link #check})
     * @param appName the application's name, as Spark shows it
     * @return a new context; the caller stops it (it is {@link AutoCloseable})
     * @throws IllegalArgumentException if the master URL is not valid or not reachable ({@link #check})
     */
    public static JavaSparkContext open(String master, String appName) {
        check(master);
        SparkConf conf = new SparkConf().setMaster(master).setAppName(appName).set("spark.ui.enabled", "false")
                .set("spark.ui.showConsoleProgress", "false");
        if (master.startsWith("local")) {
            conf.set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1");
        }
        return new JavaSparkContext(conf);
    }
}
