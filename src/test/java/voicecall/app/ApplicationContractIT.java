package voicecall.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.r2dbc.spi.ConnectionFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.test.StepVerifier;
import voicecall.app.store.SchemaMigrator;

/**
 * What the running application promises on any database: it starts, reports healthy, exposes
 * metrics, and the schema is migrated. Each subclass points it at one real database.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class ApplicationContractIT {

  @LocalServerPort int port;
  @Autowired DatabaseClient db;
  @Autowired ConnectionFactory connectionFactory;
  @Autowired SchemaMigrator migrator;

  WebTestClient http;

  @BeforeEach
  void client() {
    http = TestDatabases.http(port);
  }

  /** The database product the subclass expects to be talking to. */
  abstract String expectedDatabaseProduct();

  @Test
  void talksToTheExpectedDatabase() {
    assertThat(connectionFactory.getMetadata().getName())
        .containsIgnoringCase(expectedDatabaseProduct());
  }

  @Test
  void healthLivenessAndReadinessAreUp() {
    for (String path :
        new String[] {
          "/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness"
        }) {
      http.get()
          .uri(path)
          .exchange()
          .expectStatus()
          .isOk()
          .expectBody()
          .jsonPath("$.status")
          .isEqualTo("UP");
    }
    http.get()
        .uri("/actuator/health")
        .exchange()
        .expectBody()
        .jsonPath("$.components.r2dbc.status")
        .isEqualTo("UP");
  }

  @Test
  void prometheusScrapeHasJvmAndHttpMetrics() {
    http.get().uri("/actuator/health").exchange().expectStatus().isOk();
    String scrape = TestDatabases.prometheus(http);
    assertThat(scrape)
        .contains("jvm_memory_used_bytes")
        .contains("http_server_requests_seconds")
        .contains("application=\"voicecall\"");
  }

  @Test
  void schemaIsAtTheNewestVersionAndItsTablesExist() {
    StepVerifier.create(
            db.sql("SELECT MAX(version) AS v FROM schema_history")
                .map(r -> r.get("v", Integer.class))
                .one())
        .expectNext(migrator.latestVersion())
        .verifyComplete();
    for (String table : new String[] {"kb_version", "kb_entry"}) {
      StepVerifier.create(
              db.sql("SELECT COUNT(*) AS n FROM " + table).map(r -> r.get("n", Long.class)).one())
          .as(table)
          .expectNextCount(1)
          .verifyComplete();
    }
  }

  @Test
  void unknownPathsGetAProblemDetail() {
    http.get().uri("/no/such/thing").exchange().expectStatus().isNotFound();
  }
}
