package dev.candor.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reasons operators read after "cannot …:", from the failures Java really throws. */
class FailureReasonTest {

    @TempDir Path dir;

    private static Exception thrownBy(ThrowingAction action) {
        try {
            action.run();
        } catch (Exception e) {
            return e;
        }
        throw new AssertionError("nothing was thrown");
    }

    interface ThrowingAction {
        void run() throws Exception;
    }

    @Test
    void fileFailuresSayWhatIsWrongNotJustThePath() throws IOException {
        Path missing = dir.resolve("missing.json");
        assertThat(FailureReason.of(thrownBy(() -> Files.readAllBytes(missing)))).isEqualTo("no such file or folder");

        Path file = Files.writeString(dir.resolve("file"), "x");
        assertThat(FailureReason.of(thrownBy(() -> Files.createDirectories(file))))
                .isEqualTo("a file of that name already exists");
        assertThat(FailureReason.of(thrownBy(() -> Files.createDirectories(file.resolve("sub")))))
                .isEqualTo("is not a folder");
        assertThat(FailureReason.of(thrownBy(() -> Files.readAllBytes(dir)))).isEqualTo("is a folder");

        // permission denied cannot be produced when the tests run as root: the exception Java throws for EACCES
        assertThat(FailureReason.of(new AccessDeniedException("/etc/candor"))).isEqualTo("permission denied");
        assertThat(FailureReason.of(new FileSystemException("/x", null, "Read-only file system")))
                .isEqualTo("read-only file system");
    }

    @Test
    void aFailureOnAnotherFileThanTheOneNamedSaysWhich() throws IOException {
        Path file = Files.writeString(dir.resolve("file"), "x");
        Path out = file.resolve("docs").resolve("TELEMETRY.md");
        Exception e = thrownBy(() -> Files.createDirectories(out.getParent()));
        assertThat(FailureReason.of(e, out)).isEqualTo(file.resolve("docs") + ": is not a folder");
        assertThat(FailureReason.of(thrownBy(() -> Files.readAllBytes(out.getParent())), out.getParent()))
                .isEqualTo("is not a folder");
    }

    @Test
    void networkFailuresSayWhatHappened() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        Exception refused = thrownBy(() -> HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + closed + "/")).build(),
                HttpResponse.BodyHandlers.ofString()));
        assertThat(refused.getMessage()).as("the HTTP client's own message says nothing").isNull();
        assertThat(FailureReason.of(new UncheckedIOException("wrapped", (IOException) refused))).isEqualTo("connection refused");
        assertThat(FailureReason.of(new ConnectException())).isEqualTo("connection refused");

        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             ServerSocket second = new ServerSocket()) {
            Exception inUse = thrownBy(() -> second.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), taken.getLocalPort())));
            assertThat(inUse).isInstanceOf(BindException.class);
            assertThat(FailureReason.of(inUse)).isEqualTo("the port is in use");
        }
    }

    @Test
    void otherwiseTheDeepestMessageOrTheKindOfFailure() {
        assertThat(FailureReason.of(new IllegalStateException("outer", new IllegalArgumentException("the real one"))))
                .isEqualTo("the real one");
        assertThat(FailureReason.of(new IllegalStateException("only this"))).isEqualTo("only this");
        assertThat(FailureReason.of(new IllegalStateException())).isEqualTo("illegal state exception");
    }
}
