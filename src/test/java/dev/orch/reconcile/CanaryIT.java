package dev.orch.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.orch.testing.OrchDist;
import dev.orch.testing.OrchdOnSystemd;
import dev.orch.testing.SystemdNamespace;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A canary on real systemd through the real route: at 10 % then 50 % the measured split of 2,000 requests of fresh
 * clients (no cookie) is within 3 points of the weight, every client with the route's cookie keeps its color, and
 * {@code rollout abort} sends 100 % back to the old color.
 */
class CanaryIT {
    @RegisterExtension
    static final SystemdNamespace SYSTEMD = new SystemdNamespace();
    /** No cookie handler: every request is a fresh client unless it sends a cookie by hand. */
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final int REQUESTS = 2000;

    OrchdOnSystemd orch;
    Path app;
    int port;

    void start(boolean routerUnit) throws IOException {
        orch = routerUnit ? new OrchdOnSystemd(SYSTEMD).withRouterUnit() : new OrchdOnSystemd(SYSTEMD);
        app = orch.dir().resolve("flaky.py");
        Files.copy(Path.of("src/test/resources/bake/flaky.py"), app);
        port = OrchdOnSystemd.freePort();
        orch.start();
    }

    @AfterEach
    void stop() throws Exception {
        if (orch != null) {
            orch.orchctl("delete", "app", "web");
            orch.close();
        }
    }

    Path manifest(String version) throws IOException {
        Path f = orch.dir().resolve("web-" + version + ".yaml");
        Files.writeString(f, """
                apiVersion: orch.dev/v1
                kind: Deployment
                metadata:
                  name: web
                spec:
                  route:
                    port: %d
                    bindAddress: 127.0.0.1
                    drainTimeoutSeconds: 2
                  template:
                    command: ["/usr/bin/python3"]
                    args: ["%s"]
                    env:
                      - {name: HELLO_VERSION, value: %s}
                    readinessProbe:
                      httpGet: {path: /healthz}
                      periodSeconds: 1
                      failureThreshold: 1
                    terminationGracePeriodSeconds: 5
                  strategy:
                    canary:
                      steps:
                        - setWeight: 10
                        - pause: {}
                        - setWeight: 50
                        - pause: {}
                      analysis: {intervalSeconds: 2, maxP99Ratio: 50, failureLimit: 3}
                """.formatted(port, app, version));
        return f;
    }

    /** One answer: the version that served it and the canary cookie the route set (null if none). */
    record Answer(String version, String cookie) {}

    Answer get(String cookie) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"));
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        String v = r.body().contains("\"v2\"") ? "v2" : r.body().contains("\"v1\"") ? "v1" : r.body();
        String set = r.headers().firstValue("set-cookie").map(s -> s.substring(0, s.indexOf(';'))).orElse(null);
        return new Answer(v, set);
    }

    /** 2,000 requests of fresh clients (8 at a time): the percentage served by v2; keeps a few cookies of each color. */
    double measure(String label, List<Answer> cookies) throws Exception {
        java.util.concurrent.atomic.AtomicInteger v2 = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<Answer>> answers = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                answers.add(pool.submit(() -> get(null)));
            }
            for (var f : answers) {
                Answer a = f.get();
                if (a.version().equals("v2")) {
                    v2.incrementAndGet();
                }
                if (cookies != null && a.cookie() != null && cookies.stream().filter(c -> c.version().equals(a.version())).count() < 10) {
                    cookies.add(a);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        double pct = 100.0 * v2.get() / REQUESTS;
        System.out.printf("canary %s: %d of %d fresh clients on v2 = %.1f %%%n", label, v2.get(), REQUESTS, pct);
        return pct;
    }

    /** Every client with a cookie stays on the version that set it, over many requests. */
    void sticky(List<Answer> cookies) throws Exception {
        assertThat(cookies).extracting(Answer::version).contains("v1", "v2");
        int n = 0;
        for (Answer c : cookies) {
            for (int i = 0; i < 25; i++) {
                Answer a = get(c.cookie());
                assertThat(a.version()).as("client with %s", c.cookie()).isEqualTo(c.version());
                assertThat(a.cookie()).as("a client with the right cookie gets no new one").isNull();
                n++;
            }
        }
        System.out.printf("canary: %d requests of %d clients with a cookie all stayed on their version%n", n, cookies.size());
    }

    void awaitGet(String text) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            OrchDist.Result get = orch.orchctl("get", "app", "web");
            assertThat(get.stdout()).as("%s%n%s", get, orch.logs()).contains(text);
        });
    }

    @Test
    void tenThenFiftyPercentStickyByCookieAndAbortReturnsEverythingToTheOldColor() throws Exception {
        run(false);
    }

    @Test
    void theSplitWorksTheSameWithRoutesInOrchRouterService() throws Exception {
        run(true);
        assertThat(orch.unitProperty(OrchdOnSystemd.ROUTER_UNIT, "ActiveState")).as("the routes ran in orch-router.service").isEqualTo("active");
    }

    void run(boolean routerUnit) throws Exception {
        start(routerUnit);
        OrchDist.Result v1 = orch.orchctl("apply", "-f", manifest("v1").toString());
        assertThat(v1.exitCode()).as("%s", v1).isZero();
        OrchDist.Result status = orch.orchctl("rollout", "status", "web", "--timeout", "60s");
        assertThat(status.exitCode()).as("%s%n%s", status, orch.logs()).isZero(); // a first deploy has nothing to split with
        assertThat(get(null)).isEqualTo(new Answer("v1", null));

        OrchDist.Result noCanary = orch.orchctl("rollout", "abort", "web");
        assertThat(noCanary.exitCode()).as("%s", noCanary).isEqualTo(1);
        assertThat(noCanary.stderr()).contains("web has no canary in progress to abort");

        OrchDist.Result v2 = orch.orchctl("apply", "-f", manifest("v2").toString());
        assertThat(v2.exitCode()).as("%s", v2).isZero();
        awaitGet("Canary: step 2/4, weight 10 %");
        List<Answer> cookies = new ArrayList<>();
        double at10 = measure("at 10 %", cookies);
        assertThat(at10).isBetween(7.0, 13.0);
        sticky(cookies);
        assertThat(orch.orchctl("describe", "app", "web").stdout()).contains("Canary:", "step 2/4, weight 10 %");

        assertThat(orch.orchctl("rollout", "promote", "web").exitCode()).isZero();
        awaitGet("Canary: step 4/4, weight 50 %");
        double at50 = measure("at 50 %", cookies);
        assertThat(at50).isBetween(47.0, 53.0);
        sticky(cookies); // the clients of the 10 % step keep their color at 50 %
        if (!routerUnit) {
            assertThat(orch.metrics()).contains("orch_canary_weight_percent{app=\"web\"} 50.0");
        }

        OrchDist.Result abort = orch.orchctl("rollout", "abort", "web");
        assertThat(abort.exitCode()).as("%s", abort).isZero();
        assertThat(abort.stdout()).contains("deployment.orch.dev/web aborted");
        await().atMost(Duration.ofSeconds(10)).until(() -> !orch.orchctl("get", "app", "web").stdout().contains("Canary:"));
        double after = measure("after abort", null);
        assertThat(after).as("100 % back to v1").isEqualTo(0.0);
        for (Answer c : cookies) {
            assertThat(get(c.cookie()).version()).as("a canary cookie no longer counts").isEqualTo("v1");
        }
        String describe = orch.orchctl("describe", "app", "web").stdout();
        assertThat(describe).contains("canary aborted by 'orchctl rollout abort' at step 4/4, weight 50 %");
        await().atMost(Duration.ofSeconds(20)).until(() -> orch.unitProperty("orch-web-green-0.service", "ActiveState").equals("inactive"));
    }
}
