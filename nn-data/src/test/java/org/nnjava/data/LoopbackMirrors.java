package org.nnjava.data;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Mirrors on the loopback interface, served by the JDK's HTTP server: each mirror is a path prefix with a
 * behaviour (serve the files, answer an HTTP error, cut the body short, serve other bytes, stall, send an
 * endless body, trickle, announce too much, announce too little). Every request is recorded. Nothing here
 * touches the internet, and every sending loop is bounded in bytes and in time and ends when the test
 * closes the mirrors.
 */
final class LoopbackMirrors implements AutoCloseable {

    /** What a mirror does with a request for one of the files. */
    enum Behaviour {
        SERVE, NOT_FOUND, UNAVAILABLE, CUT_SHORT, WRONG_BYTES, STALL,
        /** 200 without Content-Length, then zeros until the client hangs up (at most 16 MiB or 10 s). */
        ENDLESS,
        /** The right Content-Length, then one byte of the file every 100 ms. */
        TRICKLE,
        /** A Content-Length 1000 bytes above the file's, and that many bytes. */
        OVERSIZED,
        /** A Content-Length of half the file, that half, then an attempt to send the rest. */
        SHORT_LENGTH
    }

    private static final int ENDLESS_MAX_CHUNKS = 16 * 1024;
    private static final long SEND_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Map<String, byte[]> files;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final Map<String, Behaviour> behaviours = new ConcurrentHashMap<>();
    private final CountDownLatch release = new CountDownLatch(1);

    /** @param files the bytes served under each file name, e.g. {@code train-images-idx3-ubyte.gz} */
    LoopbackMirrors(Map<String, byte[]> files) throws IOException {
        this.files = Map.copyOf(files);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor); // one thread per request: a stalled mirror must not hold up the others
        server.createContext("/", this::handle);
        server.start();
    }

    /** A mirror with the given behaviour: its base URL, ending in {@code /}. */
    URI mirror(String name, Behaviour behaviour) {
        behaviours.put(name, behaviour);
        return URI.create("http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort()
                + "/" + name + "/");
    }

    /** A base URL on which nothing listens: connections are refused. */
    static URI refusingMirror() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/closed/");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every request path so far, in order, e.g. {@code /good/train-images-idx3-ubyte.gz}. */
    List<String> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        requests.add(path);
        String[] parts = path.split("/");
        Behaviour behaviour = parts.length == 3 ? behaviours.get(parts[1]) : null;
        byte[] body = parts.length == 3 ? files.get(parts[2]) : null;
        if (behaviour == null || body == null || behaviour == Behaviour.NOT_FOUND) {
            respond(exchange, 404, new byte[0]);
            return;
        }
        switch (behaviour) {
            case SERVE: respond(exchange, 200, body); break;
            case UNAVAILABLE: respond(exchange, 503, new byte[0]); break;
            case WRONG_BYTES: respond(exchange, 200, corrupted(body)); break;
            case CUT_SHORT: cut(exchange, body); break;
            case STALL: stall(exchange, body); break;
            case ENDLESS: endless(exchange); break;
            case TRICKLE: trickle(exchange, body); break;
            case OVERSIZED: respond(exchange, 200, Arrays.copyOf(body, body.length + 1000)); break;
            case SHORT_LENGTH: shortLength(exchange, body); break;
            default: throw new AssertionError(behaviour);
        }
    }

    private static void respond(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** The same length, one byte changed: only the checksum can tell. */
    private static byte[] corrupted(byte[] body) {
        byte[] copy = body.clone();
        copy[copy.length / 2] ^= 0x01;
        return copy;
    }

    /** Announces the full length, sends half, then drops the connection, as a server that dies mid-transfer. */
    private static void cut(HttpExchange exchange, byte[] body) throws IOException {
        exchange.sendResponseHeaders(200, body.length);
        OutputStream out = exchange.getResponseBody();
        out.write(body, 0, body.length / 2);
        out.flush();
        // The JDK server closes the connection when a handler throws.
        throw new IOException("test server: connection dropped on purpose after " + body.length / 2 + " bytes");
    }

    /** Announces the full length, sends a few bytes, then waits until the test is over. */
    private void stall(HttpExchange exchange, byte[] body) throws IOException {
        exchange.sendResponseHeaders(200, body.length);
        OutputStream out = exchange.getResponseBody();
        out.write(body, 0, 4);
        out.flush();
        try {
            release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new IOException("test server: stalled mirror released");
    }

    /** Chunked zeros until the client hangs up, the mirrors close, or the bounds are reached. */
    private void endless(HttpExchange exchange) throws IOException {
        exchange.sendResponseHeaders(200, 0);
        byte[] chunk = new byte[1024];
        long start = System.nanoTime();
        try (OutputStream out = exchange.getResponseBody()) {
            for (int i = 0; i < ENDLESS_MAX_CHUNKS && release.getCount() > 0
                    && System.nanoTime() - start < SEND_LIMIT_NANOS; i++) {
                out.write(chunk);
                out.flush();
            }
        }
    }

    /** One byte every 100 ms, stopped early when the client hangs up or the mirrors close. */
    private void trickle(HttpExchange exchange, byte[] body) throws IOException {
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            for (int i = 0; i < body.length; i++) {
                out.write(body[i]);
                out.flush();
                if (release.await(100, TimeUnit.MILLISECONDS)) {
                    throw new IOException("test server: trickling mirror released");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Announces half the file; the JDK server refuses to send more than it announced. */
    private static void shortLength(HttpExchange exchange, byte[] body) throws IOException {
        int half = body.length / 2;
        exchange.sendResponseHeaders(200, half);
        OutputStream out = exchange.getResponseBody();
        out.write(body, 0, half);
        out.flush();
        out.write(body, half, body.length - half); // throws: more than announced
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
