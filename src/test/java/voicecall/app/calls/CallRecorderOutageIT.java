package voicecall.app.calls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.r2dbc.h2.CloseableConnectionFactory;
import io.r2dbc.h2.H2ConnectionFactory;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryMetadata;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import org.springframework.r2dbc.connection.R2dbcTransactionManager;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import voicecall.app.store.SchemaMigrator;
import voicecall.app.telephony.CallOrigin;
import voicecall.app.telephony.CallRegistry;
import voicecall.engine.call.Call;
import voicecall.engine.call.HangupCause;
import voicecall.engine.dialogue.Turn;
import voicecall.rag.Decision;

/**
 * The recorder against a real (in-memory H2) database that goes away mid-run: calls go on, records
 * wait in the buffer, what does not fit is counted, and the records that waited arrive once the
 * database is back. The database is switched off by refusing new connections, as a stopped server
 * does.
 */
class CallRecorderOutageIT {

  private final CloseableConnectionFactory h2 =
      H2ConnectionFactory.inMemory("calls-outage-" + CallRegistry.newCallId());
  private final Outage database = new Outage(h2);
  private final DatabaseClient db = DatabaseClient.create(database);
  private final TransactionalOperator tx =
      TransactionalOperator.create(new R2dbcTransactionManager(database));
  // H2 blocks on the subscribing thread: this test's writer runs where blocking is allowed, as the
  // application's offloading decorator arranges for H2.
  private final Scheduler io = Schedulers.newBoundedElastic(4, 1000, "calls-outage-it");
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final CallRegistry registry = new CallRegistry();
  private final CallStore store = new CallStore(db, tx);
  private final RecordBuffer<CallRecord> buffer =
      new RecordBuffer<>(
          "voicecall.calls.records",
          3,
          2,
          Duration.ofMillis(100),
          Duration.ofMillis(200),
          Duration.ofSeconds(5),
          store::save,
          e -> false,
          io,
          meters);
  private final CallRecorder recorder =
      new CallRecorder(buffer, registry, Clock.systemUTC(), Schedulers.parallel(), meters);

  @AfterEach
  void close() {
    database.down.set(false);
    recorder.close();
    io.dispose();
    Mono.from(h2.close()).block(Duration.ofSeconds(10));
  }

  @Test
  void recordsWaitWhileTheDatabaseIsDownAndArriveAfterRecoveryAndOverflowIsCounted() {
    new SchemaMigrator(db, tx).migrate().block(Duration.ofSeconds(30));
    database.down.set(true);

    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Call call = Call.open(CallRegistry.newCallId().toString(), "en", 8000, Schedulers.parallel());
      registry.register(call);
      Instant t = Instant.now();
      recorder
          .turns(call)
          .accept(
              new Turn(
                  1, "question " + i, Decision.ANSWER, "plan", "reply", t, t, t, t.plusMillis(i)));
      // the call itself is unaffected by the database: it plays and ends as usual
      assertThat(call.isActive()).isTrue();
      call.end(HangupCause.CALLER);
      ids.add(call.id());
    }
    assertThat(registry.size()).isZero();

    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> buffer.buffered() == 3 && buffer.droppedForOverflow() == 2);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> meters.counter("voicecall.calls.records.write.failures").count() >= 2);
    assertThat(meters.counter("voicecall.calls.records.dropped", "reason", "overflow").count())
        .isEqualTo(2);
    assertThat(meters.get("voicecall.calls.records.buffered").gauge().value()).isEqualTo(3);
    assertThat(storedIds()).isEmpty();
    assertThat(meters.counter("voicecall.calls.ended", "outcome", "answered").count()).isEqualTo(5);

    database.down.set(false);
    await().atMost(Duration.ofSeconds(20)).until(() -> buffer.buffered() == 0);
    List<String> stored = storedIds();
    assertThat(stored).hasSize(3);
    assertThat(ids).containsAll(stored);
    for (String id : stored) {
      CallRecord r = Objects.requireNonNull(store.find(id).block(Duration.ofSeconds(10)));
      assertThat(r.outcome()).isEqualTo(CallOutcome.ANSWERED);
      assertThat(r.origin()).isEqualTo(CallOrigin.AUDIOSOCKET);
      assertThat(r.turns()).hasSize(1);
      assertThat(r.turns().get(0).heard()).isEqualTo("question " + ids.indexOf(id));
      assertThat(r.turns().get(0).voiceToVoiceMillis()).isEqualTo((long) ids.indexOf(id));
    }
    assertThat(meters.counter("voicecall.calls.records.written").count()).isEqualTo(3);
    assertThat(database.refused.get()).isGreaterThanOrEqualTo(2);

    // and recording simply goes on
    Call later = Call.open(CallRegistry.newCallId().toString(), "en", 8000, Schedulers.parallel());
    registry.register(later);
    later.end(HangupCause.CALLER);
    await().atMost(Duration.ofSeconds(20)).until(() -> storedIds().contains(later.id()));
    assertThat(
            Objects.requireNonNull(store.find(later.id()).block(Duration.ofSeconds(10))).outcome())
        .isEqualTo(CallOutcome.ABANDONED);
  }

  private List<String> storedIds() {
    // read past the outage switch, straight from H2
    return Objects.requireNonNull(
        DatabaseClient.create(h2)
            .sql("SELECT call_id FROM call_record")
            .map(row -> Objects.requireNonNull(row.get("call_id", String.class)))
            .all()
            .collectList()
            .subscribeOn(io)
            .block(Duration.ofSeconds(10)));
  }

  /** A connection factory that refuses connections while {@link #down} is set. */
  private static final class Outage implements ConnectionFactory {
    final AtomicBoolean down = new AtomicBoolean();
    final AtomicInteger refused = new AtomicInteger();
    private final ConnectionFactory delegate;

    Outage(ConnectionFactory delegate) {
      this.delegate = delegate;
    }

    @Override
    public Publisher<? extends Connection> create() {
      return Mono.defer(
          () -> {
            if (down.get()) {
              refused.incrementAndGet();
              return Mono.error(new R2dbcNonTransientResourceException("database is down"));
            }
            return Mono.from(delegate.create());
          });
    }

    @Override
    public ConnectionFactoryMetadata getMetadata() {
      return delegate.getMetadata();
    }
  }
}
