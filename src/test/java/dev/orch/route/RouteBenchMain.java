package dev.orch.route;

import dev.orch.manifest.Protocol;
import dev.orch.manifest.RouteSpec;
import dev.orch.state.Color;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one orch route standalone, for the benchmark and for tests that need the route in its own JVM.
 * Usage: {@code RouteBenchMain <port> <protocol http|tcp> <eventLoops> <host:port>...}; prints READY when bound
 * and runs until it is killed.
 */
public final class RouteBenchMain {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Protocol protocol = Protocol.fromWire(args[1]);
        int loops = Integer.parseInt(args[2]);
        List<Backend> backends = new ArrayList<>();
        for (int i = 3; i < args.length; i++) {
            String[] hp = args[i].split(":");
            backends.add(new Backend(hp[0], Integer.parseInt(hp[1])));
        }
        // orchd runs on Quarkus' Vertx, which uses epoll when quarkus.vertx.prefer-native-transport=true.
        boolean epoll = Boolean.parseBoolean(System.getProperty("orch.route.epoll", "true"));
        Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(epoll));
        System.err.println("native transport: " + vertx.isNativeTransportEnabled());
        VertxRouter router = new VertxRouter(vertx, RouteMetrics.NOOP, new RouterOptions(loops, 256, 5_000));
        RouteHandle route = router.open("bench", new RouteSpec(port, protocol, "127.0.0.1", null, 30));
        route.switchTo(Color.BLUE, backends);
        System.out.println("READY " + route.port());
        System.out.flush();
        Runtime.getRuntime().addShutdownHook(new Thread(router::close));
        Thread.currentThread().join();
    }
}
