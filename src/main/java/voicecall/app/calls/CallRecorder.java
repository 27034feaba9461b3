package voicecall.app.calls;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;
import voicecall.app.telephony.CallOrigin;
import voicecall.app.telephony.CallRegistry;
import voicecall.engine.call.Call;
import voicecall.engine.call.HangupCause;
import voicecall.engine.dialogue.Turn;
import voicecall.rag.Decision;

/**
 * Records every call that connects: it learns of the call from the {@link CallRegistry}, collects
 * the conversation's turns through {@link #turns(Call)}, and when the call has ended hands the
 * finished record to the write buffer. Nothing here touches the database or blocks, so recording
 * cannot slow a call.
 *
 * <p>A call is transferred when it ended with {@code TRANSFER} (the conversation handed it to a
 * person) or a turn decided {@code HUMAN}; answered when a turn decided {@code ANSWER}; an error
 * when it ended with {@code FAILURE} or {@code PROTOCOL_ERROR}; otherwise abandoned. Meters: {@code
 * voicecall.calls.ended} per {@code outcome}, and the ratios since start {@code
 * voicecall.calls.containment}, {@code voicecall.calls.transfer} and {@code voicecall.turns.answer}
 * (the same figures {@code /api/v1/stats} computes from the records).
 */
public final class CallRecorder implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(CallRecorder.class);

  /**
   * How long after a call ends its record waits for late turns: a reply cut off by the hang-up
   * reports its turn just after the end signal.
   */
  static final Duration LATE_TURNS = Duration.ofMillis(250);

  private final RecordBuffer<CallRecord> buffer;
  private final Clock clock;
  private final Scheduler scheduler;
  private final Map<String, Live> live = new ConcurrentHashMap<>();
  private final Map<CallOutcome, Counter> ended = new EnumMap<>(CallOutcome.class);
  private final Counter turnsCounted;
  private final Counter answeredTurns;
  private final Disposable listening;

  CallRecorder(
      RecordBuffer<CallRecord> buffer,
      CallRegistry registry,
      Clock clock,
      Scheduler scheduler,
      MeterRegistry meters) {
    this.buffer = buffer;
    this.clock = clock;
    this.scheduler = scheduler;
    for (CallOutcome o : CallOutcome.values()) {
      ended.put(
          o,
          Counter.builder("voicecall.calls.ended")
              .description("finished calls by outcome")
              .tag("outcome", o.wire())
              .register(meters));
    }
    turnsCounted =
        Counter.builder("voicecall.calls.turns")
            .description("turns of finished calls")
            .register(meters);
    answeredTurns =
        Counter.builder("voicecall.calls.turns.answered")
            .description("turns of finished calls that were answered")
            .register(meters);
    Gauge.builder("voicecall.calls.containment", this, r -> r.ratio(CallOutcome.ANSWERED))
        .description("share of finished calls answered without a transfer, since start")
        .register(meters);
    Gauge.builder("voicecall.calls.transfer", this, r -> r.ratio(CallOutcome.TRANSFERRED))
        .description("share of finished calls transferred to a person, since start")
        .register(meters);
    Gauge.builder(
            "voicecall.turns.answer",
            this,
            r -> r.turnsCounted.count() == 0 ? 0 : r.answeredTurns.count() / r.turnsCounted.count())
        .description("share of turns answered, since start")
        .register(meters);
    this.listening = registry.onConnect(this::connected);
  }

  private double ratio(CallOutcome o) {
    double all = 0;
    for (Counter c : ended.values()) {
      all += c.count();
    }
    return all == 0 ? 0 : Objects.requireNonNull(ended.get(o), "counter").count() / all;
  }

  /**
   * Where a call's conversation reports its turns. Quick and non-blocking: the turn is kept with
   * the call until the call ends.
   *
   * @param call the call the conversation serves
   * @return the turn listener for that call
   */
  public Consumer<Turn> turns(Call call) {
    String id = call.id();
    return turn -> {
      Live l = live.get(id);
      if (l == null) {
        log.debug("turn {} of call {} arrived after its record was written", turn.index(), id);
        return;
      }
      l.add(turn);
    };
  }

  /** Returns how many finished calls wait to be written. */
  int buffered() {
    return buffer.buffered();
  }

  private void connected(Call call, CallOrigin origin) {
    Live l = new Live(call.id(), origin, call.language(), clock.instant());
    if (live.putIfAbsent(call.id(), l) != null) {
      return;
    }
    call.ended()
        .delayElement(LATE_TURNS, scheduler)
        .subscribe(cause -> finish(l, cause), e -> log.warn("call {}: not recorded", l.id, e));
  }

  private void finish(Live l, HangupCause cause) {
    live.remove(l.id, l);
    List<TurnRecord> turns = l.turns();
    CallOutcome outcome = CallOutcome.of(turns, cause);
    Instant endedAt = clock.instant();
    CallRecord record =
        new CallRecord(
            l.id,
            l.origin,
            l.language,
            l.started,
            endedAt.isBefore(l.started) ? l.started : endedAt,
            cause.name(),
            outcome,
            turns);
    Objects.requireNonNull(ended.get(outcome), "counter").increment();
    turnsCounted.increment(turns.size());
    answeredTurns.increment(
        turns.stream().filter(t -> Decision.ANSWER.name().equals(t.decision())).count());
    buffer.offer(record);
  }

  /** Stops listening for calls and writes what waits, for shutdown. */
  @Override
  public void close() {
    listening.dispose();
    buffer.close();
  }

  /** A call in progress. */
  private static final class Live {
    final String id;
    final CallOrigin origin;
    final String language;
    final Instant started;
    private final List<TurnRecord> turns = new ArrayList<>();

    Live(String id, CallOrigin origin, String language, Instant started) {
      this.id = id;
      this.origin = origin;
      this.language = language;
      this.started = started;
    }

    synchronized void add(Turn turn) {
      turns.add(TurnRecord.of(turn));
    }

    synchronized List<TurnRecord> turns() {
      return List.copyOf(turns);
    }
  }
}
