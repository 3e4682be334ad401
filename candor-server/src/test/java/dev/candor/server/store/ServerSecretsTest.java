package dev.candor.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.candor.server.testing.TestPostgres;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A server secret is made once per database, whoever asks first, and is the same for everyone after. */
class ServerSecretsTest {
    @TempDir Path data;

    @Test
    void sqliteProcessesAskingAtOnceGetOneSecretThatOutlivesARestart() throws Exception {
        byte[] made;
        try (SqliteReportStore one = SqliteReportStore.open(data); SqliteReportStore two = SqliteReportStore.open(data)) {
            made = oneSecretFromEveryone(List.of(one.dataSource(), two.dataSource()));
        }
        try (SqliteReportStore restarted = SqliteReportStore.open(data)) {
            assertThat(ServerSecrets.getOrCreate(restarted.dataSource(), "test")).isEqualTo(made);
            assertThat(ServerSecrets.getOrCreate(restarted.dataSource(), "another")).hasSize(32).isNotEqualTo(made);
        }
    }

    @Test
    void postgresNodesAskingAtOnceGetOneSecret() throws Exception {
        String url = TestPostgres.newDatabase();
        try (PostgresReportStore one = PostgresReportStore.open(url, null, null);
                PostgresReportStore two = PostgresReportStore.open(url, null, null)) {
            byte[] made = oneSecretFromEveryone(List.of(one.dataSource(), two.dataSource()));
            assertThat(ServerSecrets.getOrCreate(two.dataSource(), "test")).isEqualTo(made);
        }
    }

    /** Eight callers over the given databases ask for secret "test" at once; they must all get the same 32 bytes. */
    private static byte[] oneSecretFromEveryone(List<DataSource> databases) throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<byte[]>> answers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            DataSource database = databases.get(i % databases.size());
            answers.add(callers.submit(() -> {
                go.await();
                return ServerSecrets.getOrCreate(database, "test");
            }));
        }
        go.countDown();
        byte[] first = answers.get(0).get();
        assertThat(first).hasSize(ServerSecrets.LENGTH);
        for (Future<byte[]> answer : answers) {
            assertThat(answer.get()).isEqualTo(first);
        }
        callers.shutdown();
        return first;
    }
}
