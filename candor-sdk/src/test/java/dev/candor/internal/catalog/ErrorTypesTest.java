package dev.candor.internal.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class ErrorTypesTest {
    static final class OwnFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    @Test
    void jdkTypesAreKeptByName() {
        assertThat(ErrorTypes.reduce(new IOException("secret path /home/ann"), List.of())).isEqualTo("java.io.IOException");
        assertThat(ErrorTypes.reduce(new UncheckedIOException(new IOException()), List.of()))
                .isEqualTo("java.io.UncheckedIOException");
        assertThat(ErrorTypes.reduce(new TimeoutException(), null)).isEqualTo("java.util.concurrent.TimeoutException");
    }

    @Test
    void ownPackagesAreKeptOthersAreOther() {
        Throwable own = new OwnFailure();
        assertThat(ErrorTypes.reduce(own, List.of())).isEqualTo("other");
        assertThat(ErrorTypes.reduce(own, List.of("dev.candor"))).isEqualTo(OwnFailure.class.getName());
        assertThat(ErrorTypes.reduce(own, List.of("dev.candor.internal.catalog"))).isEqualTo(OwnFailure.class.getName());
        // A package name is a whole segment: "dev.cand" does not cover "dev.candor".
        assertThat(ErrorTypes.reduce(own, List.of("dev.cand"))).isEqualTo("other");
        assertThat(ErrorTypes.reduce(new org.opentest4j.AssertionFailedError(), List.of("dev.candor"))).isEqualTo("other");
        assertThat(ErrorTypes.reduce((Throwable) null, List.of())).isEqualTo("other");
    }

    @Test
    void allowedValuesForTheCollector() {
        assertThat(ErrorTypes.isAllowedValue("other", List.of())).isTrue();
        assertThat(ErrorTypes.isAllowedValue("java.io.IOException", List.of())).isTrue();
        assertThat(ErrorTypes.isAllowedValue("javax.net.ssl.SSLException", List.of())).isTrue();
        assertThat(ErrorTypes.isAllowedValue("com.acme.Boom$Inner", List.of("com.acme"))).isTrue();
        assertThat(ErrorTypes.isAllowedValue("com.acmex.Boom", List.of("com.acme"))).isFalse();
        assertThat(ErrorTypes.isAllowedValue("java.", List.of())).isFalse();
        assertThat(ErrorTypes.isAllowedValue("java.io.IOException /home/ann", List.of())).isFalse();
        assertThat(ErrorTypes.isAllowedValue("java..X", List.of())).isFalse();
        assertThat(ErrorTypes.isAllowedValue("ann@example.org", List.of())).isFalse();
        assertThat(ErrorTypes.isAllowedValue(null, List.of())).isFalse();
    }
}
