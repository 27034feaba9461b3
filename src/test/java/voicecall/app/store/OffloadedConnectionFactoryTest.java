package voicecall.app.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * The embedded H2 driver does file I/O on the subscribing thread. Subscribed from a non-blocking
 * thread (as a web request would be) BlockHound, installed for every test, breaks the raw driver's
 * stream (it never completes); through the decorator the same work runs on the blocking-capable
 * scheduler and completes.
 */
class OffloadedConnectionFactoryTest {

  @TempDir Path dir;
  private Scheduler blocking;

  @BeforeEach
  void scheduler() {
    blocking = Schedulers.newBoundedElastic(2, 100, "test-db-blocking");
  }

  @AfterEach
  void dispose() {
    blocking.dispose();
  }

  private ConnectionFactory h2File(String name) {
    return ConnectionFactories.get("r2dbc:h2:file:///" + dir.resolve(name));
  }

  private static Mono<Long> createInsertCount(ConnectionFactory cf) {
    DatabaseClient db = DatabaseClient.create(cf);
    return db.sql("CREATE TABLE IF NOT EXISTS t (id INT)")
        .then()
        .then(db.sql("INSERT INTO t (id) VALUES (1)").then())
        .then(db.sql("SELECT COUNT(*) AS n FROM t").map(r -> r.get("n", Long.class)).one())
        .subscribeOn(Schedulers.parallel());
  }

  @Test
  void offloadedH2WorksFromANonBlockingThread() {
    ConnectionFactory offloaded = OffloadedConnectionFactory.wrap(h2File("offloaded"), blocking);
    StepVerifier.create(createInsertCount(offloaded)).expectNext(1L).verifyComplete();
    assertThat(offloaded.getMetadata().getName()).isEqualTo("H2");
  }
}
