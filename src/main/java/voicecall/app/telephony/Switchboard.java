package voicecall.app.telephony;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import voicecall.app.logging.CallLogContext;
import voicecall.engine.call.Call;
import voicecall.engine.call.FrameClock;
import voicecall.engine.call.FrameSink;
import voicecall.engine.call.HangupCause;

/**
 * Connects a call whose media is up to the rest of the engine, the same way for every adapter: the
 * registry, the shared frame clock, and the {@link CallAnswering} run with the call's id in every
 * log line and cancelled when the call ends. A failure in one call's answering ends that call only.
 */
public final class Switchboard {

  private static final Logger log = LoggerFactory.getLogger(Switchboard.class);

  private final FrameClock clock;
  private final CallRegistry registry;
  private final CallAnswering answering;
  private final @Nullable Transfers transfers;

  /**
   * A switchboard that cannot move plain AudioSocket callers to a person.
   *
   * @param clock the shared frame clock
   * @param registry the live calls
   * @param answering what a call does
   */
  public Switchboard(FrameClock clock, CallRegistry registry, CallAnswering answering) {
    this(clock, registry, answering, null);
  }

  /**
   * A switchboard.
   *
   * @param clock the shared frame clock
   * @param registry the live calls
   * @param answering what a call does
   * @param transfers moves callers of plain AudioSocket calls who asked for a person, or null
   */
  public Switchboard(
      FrameClock clock,
      CallRegistry registry,
      CallAnswering answering,
      @Nullable Transfers transfers) {
    this.clock = clock;
    this.registry = registry;
    this.answering = answering;
    this.transfers = transfers;
  }

  /**
   * What must happen before the transport closes an ended call's media connection: when the engine
   * asked for a person and no FastAGI/ARI session controls the call (plain AudioSocket), the caller
   * is moved while the connection is still open, because once it closes Asterisk goes on with the
   * dialplan and hangs up. Other calls close at once.
   *
   * @param call an ended call
   * @return completes when the connection may close; never an error
   */
  public Mono<Void> released(Call call) {
    Transfers t = transfers;
    if (t == null) {
      return Mono.empty();
    }
    return call.transferRequested()
        .filter(r -> registry.expectedLanguage(call.id()).isEmpty())
        .flatMap(t::movePlainCall);
  }

  /** Returns the frame clock calls are paced by. */
  public FrameClock clock() {
    return clock;
  }

  /** Returns the live calls. */
  public CallRegistry registry() {
    return registry;
  }

  /**
   * Starts serving a call.
   *
   * @param call a call that has just been opened
   * @param sink where its outbound frames go
   * @throws IllegalStateException when a live call has the same id (the call is then ended)
   */
  public void connect(Call call, FrameSink sink) {
    try {
      registry.register(call);
    } catch (IllegalStateException e) {
      call.end(HangupCause.PROTOCOL_ERROR);
      throw e;
    }
    // The answering starts first so what it queues at once is in the very first frame.
    Mono.defer(() -> answering.answer(call))
        .doOnSubscribe(s -> log.info("call connected at {} Hz", call.sampleRate()))
        .takeUntilOther(call.ended())
        .doOnError(e -> log.warn("call failed; ending it", e))
        .onErrorResume(e -> Mono.fromRunnable(() -> call.end(HangupCause.FAILURE)))
        .contextWrite(CallLogContext.of(call.id()))
        .subscribe();
    clock.attach(call, sink);
  }
}
