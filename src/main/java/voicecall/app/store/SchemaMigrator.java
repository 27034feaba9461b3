package voicecall.app.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Brings the database schema to the newest version, the same way on H2 and MySQL/MariaDB. The
 * scripts under {@code db/migration} are the one source of truth for the schema; {@code
 * schema_history} records which ran, with checksums, so a script that was edited after it ran stops
 * the start instead of leaving two databases with different schemas.
 *
 * <p>Each migration and its history row run in one transaction. H2 rolls back DDL with it;
 * MySQL/MariaDB commit DDL implicitly, so a script that fails half-way there leaves its earlier
 * statements applied and must be mended by hand (the error names the statement).
 */
public final class SchemaMigrator {

  private static final Logger log = LoggerFactory.getLogger(SchemaMigrator.class);
  static final String LOCATION = "classpath*:db/migration/V*__*.sql";

  private final DatabaseClient db;
  private final TransactionalOperator tx;
  private final List<Migration> migrations;

  /**
   * Creates a migrator for the scripts on the classpath.
   *
   * @param db the database
   * @param tx transactions on that database
   */
  public SchemaMigrator(DatabaseClient db, TransactionalOperator tx) {
    this(db, tx, loadFromClasspath());
  }

  SchemaMigrator(DatabaseClient db, TransactionalOperator tx, List<Migration> migrations) {
    this.db = db;
    this.tx = tx;
    this.migrations = ordered(migrations);
  }

  /**
   * Applies the pending migrations in version order.
   *
   * @return the versions applied now (empty when the schema was current)
   */
  public Mono<List<Integer>> migrate() {
    return db.sql(
            "CREATE TABLE IF NOT EXISTS schema_history ("
                + " version INT NOT NULL PRIMARY KEY,"
                + " description VARCHAR(200) NOT NULL,"
                + " checksum BIGINT NOT NULL,"
                + " applied_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)")
        .then()
        .then(appliedChecksums())
        .flatMapMany(
            applied ->
                Flux.fromIterable(migrations)
                    .filter(m -> checkApplied(m, applied.get(m.version())))
                    .concatMap(m -> apply(m).thenReturn(m.version())))
        .collectList()
        .doOnNext(
            done -> {
              int current = latestVersion();
              if (done.isEmpty()) {
                log.info("database schema is current at version {}", current);
              } else {
                log.info("database schema migrated to version {} (applied {})", current, done);
              }
            });
  }

  /** The newest version the scripts define. */
  public int latestVersion() {
    return migrations.isEmpty() ? 0 : migrations.get(migrations.size() - 1).version();
  }

  private Mono<Map<Integer, Long>> appliedChecksums() {
    return db.sql("SELECT version, checksum FROM schema_history")
        .map(
            row ->
                Map.entry(
                    requireNonNull(row.get("version", Integer.class), "version"),
                    requireNonNull(row.get("checksum", Long.class), "checksum")))
        .all()
        .collectMap(Map.Entry::getKey, Map.Entry::getValue, HashMap::new);
  }

  /** True when the migration still has to run; fails when it ran with different content. */
  private static boolean checkApplied(Migration m, @Nullable Long stored) {
    if (stored == null) {
      return true;
    }
    if (stored != m.checksum()) {
      throw new IllegalStateException(
          "schema migration V"
              + m.version()
              + " ("
              + m.description()
              + ") was changed after it was applied: checksum in database "
              + stored
              + ", in script "
              + m.checksum()
              + ". Add a new migration instead of editing an applied one.");
    }
    return false;
  }

  private Mono<Void> apply(Migration m) {
    Mono<Void> statements =
        Flux.fromIterable(m.statements())
            .concatMap(
                sql ->
                    db.sql(sql)
                        .then()
                        .onErrorMap(
                            e ->
                                new IllegalStateException(
                                    "schema migration V"
                                        + m.version()
                                        + " failed at statement: "
                                        + sql
                                        + " — "
                                        + e.getMessage(),
                                    e)))
            .then(
                db.sql(
                        "INSERT INTO schema_history (version, description, checksum)"
                            + " VALUES (:version, :description, :checksum)")
                    .bind("version", m.version())
                    .bind("description", m.description())
                    .bind("checksum", m.checksum())
                    .then());
    return statements
        .as(tx::transactional)
        .doOnSuccess(
            v -> log.info("applied schema migration V{} ({})", m.version(), m.description()));
  }

  private static <T> T requireNonNull(@Nullable T value, String column) {
    if (value == null) {
      throw new IllegalStateException("schema_history." + column + " is NULL");
    }
    return value;
  }

  private static List<Migration> ordered(List<Migration> migrations) {
    List<Migration> sorted = new ArrayList<>(migrations);
    sorted.sort(Comparator.comparingInt(Migration::version));
    for (int i = 1; i < sorted.size(); i++) {
      if (sorted.get(i).version() == sorted.get(i - 1).version()) {
        throw new IllegalStateException(
            "two schema migrations have version " + sorted.get(i).version());
      }
    }
    return List.copyOf(sorted);
  }

  static List<Migration> loadFromClasspath() {
    try {
      Resource[] resources = new PathMatchingResourcePatternResolver().getResources(LOCATION);
      List<Migration> loaded = new ArrayList<>();
      for (Resource r : resources) {
        String name = r.getFilename();
        if (name == null) {
          continue;
        }
        loaded.add(Migration.parse(name, r.getContentAsString(StandardCharsets.UTF_8)));
      }
      return loaded;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read schema migrations from " + LOCATION, e);
    }
  }
}
