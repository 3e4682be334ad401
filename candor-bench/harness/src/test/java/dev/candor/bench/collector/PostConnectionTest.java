package dev.candor.bench.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.javalin.Javalin;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The load generator's connection against a real Javalin server, as the benchmark uses it. */
class PostConnectionTest {
    private final List<String> received = new ArrayList<>();
    private Javalin server;

    @BeforeEach
    void start() {
        server = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.startupWatcherEnabled = false;
        })
                .post("/v1/reports", ctx -> {
                    synchronized (received) {
                        received.add(ctx.body());
                    }
                    ctx.status(202).contentType("application/json").result("{\"accepted\":" + ctx.body().length() + "}");
                })
                .post("/closing", ctx -> ctx.header("Connection", "close").status(202).result("bye"))
                .post("/streamed", ctx -> {
                    ctx.status(200);
                    var out = ctx.res().getOutputStream();
                    for (int i = 0; i < 3; i++) {
                        out.write(("part " + i + ";").getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                    }
                })
                .start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void postsBodiesOnOneKeptAliveConnectionAndReadsEachAnswerWhole() throws IOException {
        try (PostConnection connection = new PostConnection("127.0.0.1", server.port(), "/v1/reports", Duration.ofSeconds(5))) {
            for (int i = 0; i < 3; i++) {
                String body = "{\"reports\":[" + "x".repeat(20_000 * i) + "]}";
                PostConnection.Answer answer = connection.post(body.getBytes(StandardCharsets.UTF_8));
                assertThat(answer.status()).isEqualTo(202);
                assertThat(answer.body()).isEqualTo("{\"accepted\":" + body.length() + "}");
            }
        }
        assertThat(received).hasSize(3);
        assertThat(received.get(2)).hasSize(40_000 + 14);
    }

    @Test
    void readsChunkedAnswersAndOpensANewConnectionAfterTheServerClosedOne() throws IOException {
        try (PostConnection streamed = new PostConnection("127.0.0.1", server.port(), "/streamed", Duration.ofSeconds(5))) {
            assertThat(streamed.post(new byte[] {'{', '}'}).body()).isEqualTo("part 0;part 1;part 2;");
            assertThat(streamed.post(new byte[] {'{', '}'}).body()).isEqualTo("part 0;part 1;part 2;");
        }
        try (PostConnection closing = new PostConnection("127.0.0.1", server.port(), "/closing", Duration.ofSeconds(5))) {
            assertThat(closing.post(new byte[] {'{', '}'})).isEqualTo(new PostConnection.Answer(202, "bye"));
            assertThat(closing.post(new byte[] {'{', '}'})).isEqualTo(new PostConnection.Answer(202, "bye"));
        }
    }

    @Test
    void aServerThatIsGoneIsAnIOException() {
        int port = server.port();
        server.stop();
        PostConnection connection = new PostConnection("127.0.0.1", port, "/v1/reports", Duration.ofSeconds(2));
        assertThatThrownBy(() -> connection.post(new byte[] {'{', '}'})).isInstanceOf(IOException.class);
    }
}
