package dev.candor.bench.collector;

import io.javalin.Javalin;

/**
 * The ceiling of this machine for the collector: the same HTTP stack as {@code candor serve} (Javalin
 * on Jetty) answering {@code POST /v1/reports} with 202 after reading the body, and doing nothing else.
 * Whatever the real collector does beyond this costs throughput against it.
 *
 * <p>Usage: {@code NoopCollector PORT}; listens on 127.0.0.1 only.
 */
public final class NoopCollector {
    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.startupWatcherEnabled = false;
        })
                .get("/healthz", ctx -> ctx.result("ok"))
                .post("/v1/reports", ctx -> {
                    byte[] body = ctx.bodyAsBytes();
                    ctx.status(202).contentType("application/json")
                            .result("{\"accepted\":0,\"duplicates\":0,\"bytes\":" + body.length + "}");
                })
                .start("127.0.0.1", port);
    }
}
