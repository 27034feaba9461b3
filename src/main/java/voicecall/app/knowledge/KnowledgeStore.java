package voicecall.app.knowledge;

import io.r2dbc.spi.Readable;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import voicecall.rag.Entry;
import voicecall.rag.Language;

/**
 * Knowledge versions and their entries in the database ({@code kb_version}, {@code kb_entry}). A
 * version is written once and never changed; only which version is active changes. Questions are
 * stored one per line, tags comma separated: the model forbids both separators inside them.
 */
final class KnowledgeStore {

  /** Rows per INSERT statement: fewer round trips for large uploads, well under bind limits. */
  private static final int ROWS_PER_INSERT = 100;

  private final DatabaseClient db;
  private final TransactionalOperator tx;

  KnowledgeStore(DatabaseClient db, TransactionalOperator tx) {
    this.db = db;
    this.tx = tx;
  }

  /** The number the next version gets. */
  Mono<Integer> nextVersion() {
    return db.sql("SELECT MAX(version) AS v FROM kb_version")
        .map(row -> Optional.ofNullable(row.get("v", Integer.class)))
        .one()
        .map(v -> v.orElse(0) + 1)
        .defaultIfEmpty(1);
  }

  /** The active version's number, if any version is active. */
  Mono<Integer> activeVersion() {
    return db.sql("SELECT version FROM kb_version WHERE active = TRUE")
        .map(row -> required(row.get("version", Integer.class), "version"))
        .all()
        .next();
  }

  /** Whether any version was ever stored. */
  Mono<Boolean> isEmpty() {
    return db.sql("SELECT COUNT(*) AS n FROM kb_version")
        .map(row -> required(row.get("n", Long.class), "n"))
        .one()
        .map(n -> n == 0);
  }

  /** Every version, newest first. */
  Flux<KnowledgeVersion> versions() {
    return db.sql(
            "SELECT version, created_at, source, entry_count, active, note FROM kb_version"
                + " ORDER BY version DESC")
        .map((Readable row) -> version(row))
        .all();
  }

  /** One version, if stored. */
  Mono<KnowledgeVersion> version(int version) {
    return db.sql(
            "SELECT version, created_at, source, entry_count, active, note FROM kb_version"
                + " WHERE version = :v")
        .bind("v", version)
        .map((Readable row) -> version(row))
        .one();
  }

  /** The entries of a version, in upload order. */
  Mono<List<Entry>> entries(int version) {
    return db.sql(
            "SELECT entry_id, lang, questions, answer, tags FROM kb_entry WHERE version = :v"
                + " ORDER BY position, entry_id")
        .bind("v", version)
        .map((Readable row) -> entry(row))
        .all()
        .collectList();
  }

  /**
   * Stores a new version with its entries and makes it the active one, all in one transaction: it
   * lands completely or not at all.
   */
  Mono<Void> saveActive(int version, String source, String note, List<Entry> entries) {
    Mono<Void> header =
        db.sql(
                "INSERT INTO kb_version (version, source, entry_count, active, note)"
                    + " VALUES (:v, :source, :count, FALSE, :note)")
            .bind("v", version)
            .bind("source", source)
            .bind("count", entries.size())
            .bind("note", note)
            .then();
    Flux<Void> rows =
        Flux.range(0, chunkCount(entries.size()))
            .concatMap(
                c -> {
                  int from = c * ROWS_PER_INSERT;
                  int to = Math.min(entries.size(), from + ROWS_PER_INSERT);
                  return insertEntries(version, from, entries.subList(from, to));
                });
    return header.thenMany(rows).then(markActive(version)).as(tx::transactional);
  }

  /** Makes a stored version the active one; false if there is no such version. */
  Mono<Boolean> activate(int version) {
    return version(version)
        .flatMap(v -> markActive(version).thenReturn(true))
        .defaultIfEmpty(false)
        .as(tx::transactional);
  }

  private Mono<Void> markActive(int version) {
    return db.sql("UPDATE kb_version SET active = FALSE WHERE active = TRUE AND version <> :v")
        .bind("v", version)
        .then()
        .then(
            db.sql("UPDATE kb_version SET active = TRUE WHERE version = :v")
                .bind("v", version)
                .fetch()
                .rowsUpdated()
                .flatMap(
                    n ->
                        n == 1
                            ? Mono.<Void>empty()
                            : Mono.error(
                                new IllegalStateException(
                                    "version " + version + " was not found to activate"))));
  }

  private Mono<Void> insertEntries(int version, int firstPosition, List<Entry> chunk) {
    StringBuilder sql =
        new StringBuilder(
            "INSERT INTO kb_entry (version, position, entry_id, lang, questions, answer, tags)"
                + " VALUES ");
    for (int i = 0; i < chunk.size(); i++) {
      if (i > 0) {
        sql.append(", ");
      }
      sql.append("(:v, :p")
          .append(i)
          .append(", :id")
          .append(i)
          .append(", :lang")
          .append(i)
          .append(", :q")
          .append(i)
          .append(", :a")
          .append(i)
          .append(", :t")
          .append(i)
          .append(')');
    }
    DatabaseClient.GenericExecuteSpec spec = db.sql(sql.toString()).bind("v", version);
    for (int i = 0; i < chunk.size(); i++) {
      Entry e = chunk.get(i);
      spec =
          spec.bind("p" + i, firstPosition + i)
              .bind("id" + i, e.id())
              .bind("lang" + i, e.language().code())
              .bind("q" + i, String.join("\n", e.questions()))
              .bind("a" + i, e.answer())
              .bind("t" + i, String.join(",", e.tags()));
    }
    return spec.then();
  }

  private static int chunkCount(int entries) {
    return (entries + ROWS_PER_INSERT - 1) / ROWS_PER_INSERT;
  }

  private static KnowledgeVersion version(Readable row) {
    Boolean active = row.get("active", Boolean.class);
    return new KnowledgeVersion(
        required(row.get("version", Integer.class), "version"),
        row.get("created_at", LocalDateTime.class),
        required(row.get("source", String.class), "source"),
        required(row.get("entry_count", Integer.class), "entry_count"),
        Boolean.TRUE.equals(active),
        row.get("note", String.class));
  }

  private static Entry entry(Readable row) {
    String id = required(row.get("entry_id", String.class), "entry_id");
    String lang = required(row.get("lang", String.class), "lang");
    String tags = required(row.get("tags", String.class), "tags");
    return new Entry(
        id,
        Arrays.asList(required(row.get("questions", String.class), "questions").split("\n")),
        required(row.get("answer", String.class), "answer"),
        tags.isEmpty() ? List.of() : Arrays.asList(tags.split(",")),
        Language.fromCode(lang)
            .orElseThrow(
                () -> new IllegalStateException("entry " + id + " has unknown language " + lang)));
  }

  private static <T> T required(@Nullable T value, String column) {
    if (value == null) {
      throw new IllegalStateException("knowledge column " + column + " is NULL");
    }
    return value;
  }
}
