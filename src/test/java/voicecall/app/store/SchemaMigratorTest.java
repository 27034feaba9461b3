package voicecall.app.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.r2dbc.connection.R2dbcTransactionManager;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.test.StepVerifier;

/** Runs the migrator against a real (in-memory) H2 database. */
class SchemaMigratorTest {

  private DatabaseClient db;
  private TransactionalOperator tx;

  @BeforeEach
  void freshDatabase() {
    ConnectionFactory cf =
        ConnectionFactories.get(
            "r2dbc:h2:mem:///migrator-" + UUID.randomUUID() + "?options=DB_CLOSE_DELAY=-1");
    db = DatabaseClient.create(cf);
    tx = TransactionalOperator.create(new R2dbcTransactionManager(cf));
  }

  private SchemaMigrator migrator(Migration... migrations) {
    return new SchemaMigrator(db, tx, List.of(migrations));
  }

  private static Migration m(int version, String script) {
    return Migration.parse("V" + version + "__test.sql", script);
  }

  @Test
  void appliesPendingMigrationsOnceInVersionOrder() {
    Migration v1 = m(1, "CREATE TABLE a (id INT);");
    Migration v2 = m(2, "INSERT INTO a (id) VALUES (7);");
    StepVerifier.create(migrator(v2, v1).migrate()).expectNext(List.of(1, 2)).verifyComplete();
    StepVerifier.create(migrator(v1, v2).migrate()).expectNext(List.of()).verifyComplete();
    StepVerifier.create(
            db.sql("SELECT COUNT(*) AS n FROM a").map(r -> r.get("n", Long.class)).one())
        .expectNext(1L)
        .verifyComplete();
  }

  @Test
  void aNewMigrationIsAppliedOnTopOfTheOldOnes() {
    Migration v1 = m(1, "CREATE TABLE a (id INT);");
    StepVerifier.create(migrator(v1).migrate()).expectNext(List.of(1)).verifyComplete();
    Migration v2 = m(2, "ALTER TABLE a ADD COLUMN name VARCHAR(10);");
    StepVerifier.create(migrator(v1, v2).migrate()).expectNext(List.of(2)).verifyComplete();
  }

  @Test
  void anEditedAppliedMigrationStopsTheStart() {
    StepVerifier.create(migrator(m(1, "CREATE TABLE a (id INT);")).migrate())
        .expectNext(List.of(1))
        .verifyComplete();
    StepVerifier.create(migrator(m(1, "CREATE TABLE a (id BIGINT);")).migrate())
        .expectErrorSatisfies(
            e -> assertThat(e).hasMessageContaining("V1").hasMessageContaining("changed after"))
        .verify();
  }

  @Test
  void aFailingMigrationNamesTheStatementAndIsNotRecorded() {
    Migration bad = m(1, "CREATE TABLE a (id INT);\nCREATE TABLE a (id INT);");
    StepVerifier.create(migrator(bad).migrate())
        .expectErrorSatisfies(
            e -> assertThat(e).hasMessageContaining("V1 failed at statement: CREATE TABLE a"))
        .verify();
    StepVerifier.create(
            db.sql("SELECT COUNT(*) AS n FROM schema_history")
                .map(r -> r.get("n", Long.class))
                .one())
        .expectNext(0L)
        .verifyComplete();
  }

  @Test
  void shippedMigrationsApplyToAnEmptyDatabase() {
    SchemaMigrator shipped = new SchemaMigrator(db, tx);
    StepVerifier.create(shipped.migrate())
        .assertNext(applied -> assertThat(applied).hasSize(shipped.latestVersion()))
        .verifyComplete();
  }
}
