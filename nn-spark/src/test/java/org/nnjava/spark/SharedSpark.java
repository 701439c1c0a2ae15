package org.nnjava.spark;

import org.apache.spark.api.java.JavaSparkContext;

/**
 * One Spark context for every test in this JVM (starting one costs seconds): local mode with two
 * threads and two attempts per task (so that an injected failure is retried), bound to 127.0.0.1,
 * no web UI. Stopped when the JVM exits.
 */
final class SharedSpark {

    private static JavaSparkContext context;

    private SharedSpark() {
    }

    static synchronized JavaSparkContext context() {
        if (context == null) {
            context = SparkContexts.open("local[2,2]", "nnjava-tests");
            Runtime.getRuntime().addShutdownHook(new Thread(context::stop));
        }
        return context;
    }
}
