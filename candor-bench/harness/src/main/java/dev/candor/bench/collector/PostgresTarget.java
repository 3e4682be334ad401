package dev.candor.bench.collector;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.zip.ZipFile;

/**
 * {@code candor serve} on PostgreSQL: an embedded PostgreSQL server (zonky's binaries from Maven
 * Central, its own processes, loopback only, fsync and synchronous commit on as in production) with a
 * fresh database, and the collector pointed at it with {@code --db}. Available once the collector's jar
 * holds its PostgreSQL store.
 */
final class PostgresTarget implements CollectorTarget, AutoCloseable {
    private static final String STORE_CLASS = "dev/candor/server/store/PostgresReportStore.class";
    private static final String DATABASE = "candor_bench";

    private final String java;
    private final Path candorJar;
    private final Path catalog;
    private EmbeddedPostgres postgres;

    PostgresTarget(String java, Path candorJar, Path catalog) {
        this.java = java;
        this.candorJar = candorJar;
        this.catalog = catalog;
    }

    @Override
    public String key() {
        return "postgresql";
    }

    @Override
    public String title() {
        return "candor serve, embedded PostgreSQL";
    }

    @Override
    public Optional<String> unavailableBecause() {
        try (ZipFile jar = new ZipFile(candorJar.toFile())) {
            return jar.getEntry(STORE_CLASS) != null ? Optional.empty()
                    : Optional.of("this build of candor serve has no PostgreSQL store yet");
        } catch (IOException e) {
            return Optional.of("candor-server/target/candor.jar is not built");
        }
    }

    @Override
    public List<String> command(int port, Path dataDir) {
        try {
            if (postgres == null) {
                postgres = EmbeddedPostgres.builder()
                        .setServerConfig("listen_addresses", "127.0.0.1")
                        .setServerConfig("max_connections", "200")
                        .setServerConfig("fsync", "on")
                        .setServerConfig("synchronous_commit", "on")
                        .setDataDirectory(dataDir.resolve("pgdata"))
                        .setCleanDataDirectory(true)
                        .start();
                try (Connection connection = postgres.getPostgresDatabase().getConnection();
                        Statement statement = connection.createStatement()) {
                    statement.execute("CREATE DATABASE " + DATABASE);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the embedded PostgreSQL server did not start", e);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create the database " + DATABASE + ": " + e.getMessage(), e);
        }
        String url = "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/" + DATABASE + "?user=postgres";
        return List.of(java, "-jar", candorJar.toString(), "serve", "--host", "127.0.0.1", "--port", Integer.toString(port),
                "--db", url, "--catalog", catalog.toString(), "--rate-limit", "0",
                "--admin-token", CollectorBenchmark.ADMIN_TOKEN);
    }

    @Override
    public boolean reportsAccepted() {
        return true;
    }

    @Override
    public void close() throws IOException {
        if (postgres != null) {
            postgres.close();
            postgres = null;
        }
    }
}
