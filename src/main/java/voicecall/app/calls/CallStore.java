package voicecall.app.calls;

import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import voicecall.app.telephony.CallOrigin;

/**
 * Call records in the database ({@code call_record}, {@code call_turn}; see {@code V3__calls.sql}).
 * Portable SQL only, so H2 and MySQL/MariaDB behave the same; times are epoch milliseconds.
 */
final class CallStore {

  /** Rows per INSERT statement: few round trips, well under the drivers' bind limits. */
  private static final int ROWS_PER_INSERT = 100;

  private static final String CALL_COLUMNS =
      "c.call_id, c.channel, c.unique_id, c.adapter, c.lang, c.started_at, c.ended_at,"
          + " c.hangup_cause, c.outcome, c.turn_count";

  private final DatabaseClient db;
  private final TransactionalOperator tx;

  CallStore(DatabaseClient db, TransactionalOperator tx) {
    this.db = db;
    this.tx = tx;
  }

  /** Which calls a query covers: started in [from, to), optionally one outcome or external id. */
  record Filter(
      Instant from, Instant to, @Nullable CallOutcome outcome, @Nullable String externalId) {

    /** Every call. */
    static Filter all() {
      return new Filter(Instant.EPOCH, Instant.ofEpochMilli(Long.MAX_VALUE), null, null);
    }
  }

  /** A call without its turns, with its turn count, as listed. */
  record Summary(CallRecord call, int turnCount) {}

  /** A page of calls, newest first. */
  record Page(long total, List<Summary> items) {}

  /** A transcript the engine could not answer, with its call. */
  record Unanswered(String callId, String heard, String decision) {}

  /**
   * Stores a batch of finished calls with their turns in one transaction, so a batch lands whole or
   * not at all.
   *
   * @param calls the calls
   * @param replace remove rows of these calls first: a retried batch may have been stored by an
   *     attempt whose answer was lost
   * @return completes when committed
   */
  Mono<Void> save(List<CallRecord> calls, boolean replace) {
    if (calls.isEmpty()) {
      return Mono.empty();
    }
    List<String> ids = calls.stream().map(CallRecord::id).toList();
    Mono<Void> clear =
        replace
            ? db.sql("DELETE FROM call_turn WHERE call_id IN (:ids)")
                .bind("ids", ids)
                .then()
                .then(
                    db.sql("DELETE FROM call_record WHERE call_id IN (:ids)")
                        .bind("ids", ids)
                        .then())
            : Mono.empty();
    List<Map.Entry<String, TurnRecord>> turns = new ArrayList<>();
    for (CallRecord c : calls) {
      for (TurnRecord t : c.turns()) {
        turns.add(Map.entry(c.id(), t));
      }
    }
    Flux<Void> callRows = Flux.fromIterable(chunks(calls)).concatMap(this::insertCalls);
    Flux<Void> turnRows = Flux.fromIterable(chunks(turns)).concatMap(this::insertTurns);
    return clear.thenMany(callRows).thenMany(turnRows).then().as(tx::transactional);
  }

  private Mono<Void> insertCalls(List<CallRecord> chunk) {
    StringBuilder sql =
        new StringBuilder(
            "INSERT INTO call_record (call_id, channel, unique_id, adapter, lang, started_at,"
                + " ended_at, hangup_cause, outcome, turn_count) VALUES ");
    for (int i = 0; i < chunk.size(); i++) {
      sql.append(i == 0 ? "" : ", ")
          .append(row(i, "id", "ch", "uq", "ad", "lg", "st", "en", "hc", "oc", "tc"));
    }
    DatabaseClient.GenericExecuteSpec spec = db.sql(sql.toString());
    for (int i = 0; i < chunk.size(); i++) {
      CallRecord c = chunk.get(i);
      spec =
          spec.bind("id" + i, c.id())
              .bind("ch" + i, c.origin().channel())
              .bind("uq" + i, c.origin().uniqueId())
              .bind("ad" + i, c.origin().adapter())
              .bind("lg" + i, c.language())
              .bind("st" + i, c.startedAt().toEpochMilli())
              .bind("en" + i, c.endedAt().toEpochMilli())
              .bind("hc" + i, c.hangupCause())
              .bind("oc" + i, c.outcome().wire())
              .bind("tc" + i, c.turns().size());
    }
    return spec.then();
  }

  private Mono<Void> insertTurns(List<Map.Entry<String, TurnRecord>> chunk) {
    StringBuilder sql =
        new StringBuilder(
            "INSERT INTO call_turn (call_id, turn_index, heard, decision, entry_id, score,"
                + " speech_ended_at, recognised_at, decided_at, first_audio_at,"
                + " voice_to_voice_ms) VALUES ");
    for (int i = 0; i < chunk.size(); i++) {
      sql.append(i == 0 ? "" : ", ")
          .append(row(i, "id", "ix", "hd", "dc", "ei", "sc", "se", "rc", "dd", "fa", "vv"));
    }
    DatabaseClient.GenericExecuteSpec spec = db.sql(sql.toString());
    for (int i = 0; i < chunk.size(); i++) {
      String callId = chunk.get(i).getKey();
      TurnRecord t = chunk.get(i).getValue();
      spec =
          spec.bind("id" + i, callId)
              .bind("ix" + i, t.index())
              .bind("hd" + i, t.heard())
              .bind("dc" + i, t.decision())
              .bind("se" + i, t.speechEnded().toEpochMilli())
              .bind("rc" + i, t.recognised().toEpochMilli())
              .bind("dd" + i, t.decided().toEpochMilli());
      spec = bindNullable(spec, "ei" + i, t.entryId(), String.class);
      spec = bindNullable(spec, "sc" + i, t.score(), Double.class);
      Instant first = t.firstAudio();
      spec = bindNullable(spec, "fa" + i, first == null ? null : first.toEpochMilli(), Long.class);
      spec = bindNullable(spec, "vv" + i, t.voiceToVoiceMillis(), Long.class);
    }
    return spec.then();
  }

  private static <V> DatabaseClient.GenericExecuteSpec bindNullable(
      DatabaseClient.GenericExecuteSpec spec, String name, @Nullable V value, Class<V> type) {
    return value == null ? spec.bindNull(name, type) : spec.bind(name, value);
  }

  private static String row(int i, String... names) {
    return "(" + Arrays.stream(names).map(n -> ":" + n + i).collect(Collectors.joining(", ")) + ")";
  }

  private static <E> List<List<E>> chunks(List<E> all) {
    List<List<E>> out = new ArrayList<>();
    for (int from = 0; from < all.size(); from += ROWS_PER_INSERT) {
      out.add(all.subList(from, Math.min(all.size(), from + ROWS_PER_INSERT)));
    }
    return out;
  }

  /**
   * A page of calls matching the filter, newest first.
   *
   * @param filter which calls
   * @param page the page, from 0
   * @param size calls per page
   * @return the page with the total count
   */
  Mono<Page> page(Filter filter, int page, int size) {
    String where = where(filter);
    Mono<Long> total =
        bindFilter(db.sql("SELECT COUNT(*) AS n FROM call_record c" + where), filter)
            .map(row -> required(row.get("n", Long.class), "n"))
            .one();
    // page and size are validated ints, inlined because not every driver binds LIMIT/OFFSET.
    Mono<List<Summary>> items =
        bindFilter(
                db.sql(
                    "SELECT "
                        + CALL_COLUMNS
                        + " FROM call_record c"
                        + where
                        + " ORDER BY c.started_at DESC, c.call_id LIMIT "
                        + size
                        + " OFFSET "
                        + ((long) page * size)),
                filter)
            .map((Readable row) -> summary(row))
            .all()
            .collectList();
    return Mono.zip(total, items, Page::new);
  }

  /**
   * One call with its turns.
   *
   * @param id the call id
   * @return the call, empty if unknown
   */
  Mono<CallRecord> find(String id) {
    Mono<Summary> call =
        db.sql("SELECT " + CALL_COLUMNS + " FROM call_record c WHERE c.call_id = :id")
            .bind("id", id)
            .map((Readable row) -> summary(row))
            .one();
    Mono<List<TurnRecord>> turns =
        db.sql(
                "SELECT turn_index, heard, decision, entry_id, score, speech_ended_at,"
                    + " recognised_at, decided_at, first_audio_at FROM call_turn"
                    + " WHERE call_id = :id ORDER BY turn_index")
            .bind("id", id)
            .map((Readable row) -> turn(row))
            .all()
            .collectList();
    return call.zipWith(
        turns,
        (s, t) ->
            new CallRecord(
                s.call().id(),
                s.call().origin(),
                s.call().language(),
                s.call().startedAt(),
                s.call().endedAt(),
                s.call().hangupCause(),
                s.call().outcome(),
                t));
  }

  /**
   * The most recent transcripts decided {@code NONE} or {@code HUMAN} of calls in a time range.
   *
   * @param filter the time range (outcome and external id are ignored)
   * @param limit most transcripts returned
   * @return newest first
   */
  Flux<Unanswered> unanswered(Filter filter, int limit) {
    return bindRange(
            db.sql(
                "SELECT t.call_id, t.heard, t.decision FROM call_turn t JOIN call_record c"
                    + " ON c.call_id = t.call_id WHERE t.decision IN ('NONE', 'HUMAN')"
                    + " AND t.heard <> '' AND c.started_at >= :from AND c.started_at < :to"
                    + " ORDER BY c.started_at DESC, t.call_id, t.turn_index LIMIT "
                    + limit),
            filter)
        .map(
            row ->
                new Unanswered(
                    required(row.get("call_id", String.class), "call_id"),
                    required(row.get("heard", String.class), "heard"),
                    required(row.get("decision", String.class), "decision")))
        .all();
  }

  /** Calls per outcome, started in the filter's time range. */
  Mono<Map<String, Long>> outcomes(Filter filter) {
    return bindRange(
            db.sql(
                "SELECT c.outcome AS k, COUNT(*) AS n FROM call_record c"
                    + " WHERE c.started_at >= :from AND c.started_at < :to GROUP BY c.outcome"),
            filter)
        .map(row -> Map.entry(required(row.get("k", String.class), "k"), count(row)))
        .all()
        .collectMap(Map.Entry::getKey, Map.Entry::getValue);
  }

  /** Turns per decision, of calls started in the filter's time range. */
  Mono<Map<String, Long>> decisions(Filter filter) {
    return bindRange(
            db.sql(
                "SELECT t.decision AS k, COUNT(*) AS n FROM call_turn t JOIN call_record c"
                    + " ON c.call_id = t.call_id WHERE c.started_at >= :from"
                    + " AND c.started_at < :to GROUP BY t.decision"),
            filter)
        .map(row -> Map.entry(required(row.get("k", String.class), "k"), count(row)))
        .all()
        .collectMap(Map.Entry::getKey, Map.Entry::getValue);
  }

  /**
   * Nearest-rank percentiles of voice-to-voice over the turns that had a reply frame: the value at
   * rank {@code ceil(q * n)} in ascending order. The database sorts; only the picked values travel.
   *
   * @param filter the time range
   * @param quantiles e.g. 0.5, 0.95, 0.99
   * @return the number of turns measured and one value per quantile (empty when none were)
   */
  Mono<Percentiles> voiceToVoice(Filter filter, double... quantiles) {
    String from =
        " FROM call_turn t JOIN call_record c ON c.call_id = t.call_id"
            + " WHERE t.voice_to_voice_ms IS NOT NULL AND c.started_at >= :from"
            + " AND c.started_at < :to";
    return bindRange(db.sql("SELECT COUNT(*) AS n" + from), filter)
        .map(CallStore::count)
        .one()
        .flatMap(
            n -> {
              if (n == 0) {
                return Mono.just(new Percentiles(0, List.of()));
              }
              return Flux.fromStream(Arrays.stream(quantiles).boxed())
                  .concatMap(
                      q ->
                          bindRange(
                                  db.sql(
                                      "SELECT t.voice_to_voice_ms AS v"
                                          + from
                                          + " ORDER BY t.voice_to_voice_ms LIMIT 1 OFFSET "
                                          + rank(q, n)),
                                  filter)
                              .map(row -> required(row.get("v", Long.class), "v"))
                              .one())
                  .collectList()
                  .map(values -> new Percentiles(n, values));
            });
  }

  /** Voice-to-voice percentiles: how many turns were measured, and the values in order asked. */
  record Percentiles(long count, List<Long> values) {
    Percentiles {
      values = List.copyOf(values);
    }
  }

  /** The 0-based offset of the nearest-rank percentile. */
  static long rank(double q, long n) {
    return Math.max(0, (long) Math.ceil(q * n) - 1);
  }

  private static String where(Filter f) {
    StringBuilder w = new StringBuilder(" WHERE c.started_at >= :from AND c.started_at < :to");
    if (f.outcome() != null) {
      w.append(" AND c.outcome = :outcome");
    }
    if (f.externalId() != null) {
      w.append(" AND (c.call_id = :ext OR c.channel = :ext OR c.unique_id = :ext)");
    }
    return w.toString();
  }

  private static DatabaseClient.GenericExecuteSpec bindFilter(
      DatabaseClient.GenericExecuteSpec spec, Filter f) {
    spec = bindRange(spec, f);
    CallOutcome outcome = f.outcome();
    if (outcome != null) {
      spec = spec.bind("outcome", outcome.wire());
    }
    String ext = f.externalId();
    if (ext != null) {
      spec = spec.bind("ext", ext);
    }
    return spec;
  }

  private static DatabaseClient.GenericExecuteSpec bindRange(
      DatabaseClient.GenericExecuteSpec spec, Filter f) {
    return spec.bind("from", f.from().toEpochMilli()).bind("to", f.to().toEpochMilli());
  }

  private static Summary summary(Readable row) {
    String outcome = required(row.get("outcome", String.class), "outcome");
    CallRecord call =
        new CallRecord(
            required(row.get("call_id", String.class), "call_id"),
            new CallOrigin(
                required(row.get("adapter", String.class), "adapter"),
                required(row.get("channel", String.class), "channel"),
                required(row.get("unique_id", String.class), "unique_id")),
            required(row.get("lang", String.class), "lang"),
            instant(row, "started_at"),
            instant(row, "ended_at"),
            required(row.get("hangup_cause", String.class), "hangup_cause"),
            CallOutcome.parse(outcome)
                .orElseThrow(() -> new IllegalStateException("unknown outcome " + outcome)),
            List.of());
    return new Summary(call, required(row.get("turn_count", Integer.class), "turn_count"));
  }

  private static TurnRecord turn(Readable row) {
    Long first = row.get("first_audio_at", Long.class);
    return new TurnRecord(
        required(row.get("turn_index", Integer.class), "turn_index"),
        required(row.get("heard", String.class), "heard"),
        required(row.get("decision", String.class), "decision"),
        row.get("entry_id", String.class),
        row.get("score", Double.class),
        instant(row, "speech_ended_at"),
        instant(row, "recognised_at"),
        instant(row, "decided_at"),
        first == null ? null : Instant.ofEpochMilli(first));
  }

  private static Instant instant(Readable row, String column) {
    return Instant.ofEpochMilli(required(row.get(column, Long.class), column));
  }

  private static long count(Readable row) {
    return required(row.get("n", Long.class), "n");
  }

  private static <T> T required(@Nullable T value, String column) {
    if (value == null) {
      throw new IllegalStateException("call record column " + column + " is NULL");
    }
    return value;
  }
}
