package voicecall.app.calls;

import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.r2dbc.connection.R2dbcTransactionManager;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import voicecall.app.store.SchemaMigrator;
import voicecall.app.telephony.CallOrigin;
import voicecall.app.telephony.CallRegistry;

/**
 * Measures how long one batch write of call records takes: 1, 10 and 200 calls with 3 turns each
 * per transaction, on an H2 file database and, when {@code VOICECALL_IT_R2DBC_URL} is set, on
 * MariaDB. Prints p50/p95/p99 per batch and records per second. Run it as a main with the test
 * class path; its rows are removed afterwards.
 */
public final class CallRecordsFlushBenchmark {

  private static final int[] CALLS_PER_BATCH = {1, 10, 200};
  private static final int TURNS_PER_CALL = 3;
  private static final int WARM_UP = 10;
  private static final int MEASURED = 50;

  private CallRecordsFlushBenchmark() {}

  /**
   * Runs the benchmark.
   *
   * @param args unused
   * @throws Exception when the database cannot be reached
   */
  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("calls-bench");
    run("H2 file", ConnectionFactories.get("r2dbc:h2:file:///" + dir + "/bench"));
    String url = System.getenv("VOICECALL_IT_R2DBC_URL");
    if (url != null && !url.isBlank()) {
      ConnectionFactoryOptions options =
          ConnectionFactoryOptions.parse(url)
              .mutate()
              .option(ConnectionFactoryOptions.USER, env("VOICECALL_IT_R2DBC_USERNAME"))
              .option(ConnectionFactoryOptions.PASSWORD, env("VOICECALL_IT_R2DBC_PASSWORD"))
              .build();
      run("MariaDB", ConnectionFactories.get(options));
    }
  }

  private static void run(String name, ConnectionFactory factory) {
    DatabaseClient db = DatabaseClient.create(factory);
    TransactionalOperator tx = TransactionalOperator.create(new R2dbcTransactionManager(factory));
    new SchemaMigrator(db, tx).migrate().block(Duration.ofMinutes(1));
    CallStore store = new CallStore(db, tx);
    try {
      for (int size : CALLS_PER_BATCH) {
        measure(name, store, size);
      }
    } finally {
      db.sql(
              "DELETE FROM call_turn WHERE call_id IN"
                  + " (SELECT call_id FROM call_record WHERE adapter = 'bench')")
          .then()
          .then(db.sql("DELETE FROM call_record WHERE adapter = 'bench'").then())
          .block(Duration.ofMinutes(1));
    }
  }

  private static void measure(String name, CallStore store, int callsPerBatch) {
    List<Long> nanos = new ArrayList<>();
    for (int i = 0; i < WARM_UP + MEASURED; i++) {
      List<CallRecord> batch = batch(callsPerBatch);
      long start = System.nanoTime();
      store.save(batch, false).block(Duration.ofMinutes(1));
      if (i >= WARM_UP) {
        nanos.add(System.nanoTime() - start);
      }
    }
    nanos.sort(null);
    long total = nanos.stream().mapToLong(Long::longValue).sum();
    System.out.printf(
        Locale.ROOT,
        "%s: %d batches of %d calls x %d turns: p50 %.1f ms, p95 %.1f ms, p99 %.1f ms;"
            + " %.0f calls/s (%.0f rows/s)%n",
        name,
        MEASURED,
        callsPerBatch,
        TURNS_PER_CALL,
        ms(nanos, 0.50),
        ms(nanos, 0.95),
        ms(nanos, 0.99),
        MEASURED * callsPerBatch / (total / 1e9),
        MEASURED * callsPerBatch * (1 + TURNS_PER_CALL) / (total / 1e9));
  }

  private static List<CallRecord> batch(int size) {
    Instant t = Instant.now();
    List<CallRecord> calls = new ArrayList<>();
    for (int c = 0; c < size; c++) {
      List<TurnRecord> turns = new ArrayList<>();
      for (int i = 1; i <= TURNS_PER_CALL; i++) {
        turns.add(
            new TurnRecord(
                i,
                "how do I change my plan number " + i,
                "ANSWER",
                "plan",
                null,
                t,
                t.plusMillis(40),
                t.plusMillis(41),
                t.plusMillis(450)));
      }
      calls.add(
          new CallRecord(
              CallRegistry.newCallId().toString(),
              new CallOrigin("bench", "PJSIP/bench-" + c, ""),
              "en",
              t,
              t.plusSeconds(30),
              "CALLER",
              CallOutcome.ANSWERED,
              turns));
    }
    return calls;
  }

  private static double ms(List<Long> sorted, double q) {
    return sorted.get(Math.max(0, (int) Math.ceil(q * sorted.size()) - 1)) / 1e6;
  }

  private static String env(String name) {
    String v = System.getenv(name);
    return v == null ? "" : v;
  }
}
