package voicecall.engine.dialogue;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import voicecall.engine.audio.AudioFrame;
import voicecall.engine.call.Call;
import voicecall.engine.call.TransferRequest;
import voicecall.engine.stt.RecognitionSession;
import voicecall.engine.stt.Recognizer;
import voicecall.engine.stt.Transcript;
import voicecall.engine.vad.SpeechEvent;
import voicecall.rag.Answer;
import voicecall.rag.Decision;
import voicecall.tts.audio.PcmAudio;

/**
 * The turn loop of a call. It says the greeting, then for each utterance the segmenter reports it
 * recognises the speech, asks the knowledge base and speaks the reply. A new utterance while a
 * reply plays cancels that reply and clears the call's queued audio (basic barge-in: there is no
 * echo guard, so the engine's own voice leaking back into the line can interrupt it). DTMF 0 asks
 * for a person. Everything the loop started is cancelled when the call ends.
 *
 * <p>One instance serves many calls; {@link #run(Call)} holds the state of one call.
 */
public final class Conversation {

  private static final Logger log = LoggerFactory.getLogger(Conversation.class);

  private final Function<Flux<PcmAudio>, Flux<SpeechEvent>> segmenter;
  private final Recognizer recognizer;
  private final Function<Transcript, Mono<Answer>> decide;
  private final Function<String, Flux<AudioFrame>> speak;
  private final Prompts prompts;
  private final Consumer<Turn> turns;
  private final Scheduler clock;

  private Conversation(
      Function<Flux<PcmAudio>, Flux<SpeechEvent>> segmenter,
      Recognizer recognizer,
      Function<Transcript, Mono<Answer>> decide,
      Function<String, Flux<AudioFrame>> speak,
      Prompts prompts,
      Consumer<Turn> turns,
      Scheduler clock) {
    this.segmenter = Objects.requireNonNull(segmenter, "segmenter");
    this.recognizer = Objects.requireNonNull(recognizer, "recognizer");
    this.decide = Objects.requireNonNull(decide, "decide");
    this.speak = Objects.requireNonNull(speak, "speak");
    this.prompts = Objects.requireNonNull(prompts, "prompts");
    this.turns = Objects.requireNonNull(turns, "turns");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Creates the loop.
   *
   * @param segmenter end-of-speech detection, e.g. {@code SpeechSegmenter::segment}
   * @param recognizer opens one recognition session per call
   * @param decide the knowledge decision for a transcript, e.g. a wrapper of {@code
   *     KnowledgeIndex.ask}
   * @param speak the audio of a text at the call's rate, in frames
   * @param prompts what to say besides answers
   * @param turns told about every finished turn (metrics, logs); must not block
   * @param clock the clock of the latency marks
   * @return the loop
   */
  public static Conversation create(
      Function<Flux<PcmAudio>, Flux<SpeechEvent>> segmenter,
      Recognizer recognizer,
      Function<Transcript, Mono<Answer>> decide,
      Function<String, Flux<AudioFrame>> speak,
      Prompts prompts,
      Consumer<Turn> turns,
      Scheduler clock) {
    return new Conversation(segmenter, recognizer, decide, speak, prompts, turns, clock);
  }

  /**
   * Serves one call until it ends.
   *
   * @param call the connected call
   * @return the outcome, when the call has ended
   */
  public Mono<Outcome> run(Call call) {
    AtomicReference<Outcome> outcome = new AtomicReference<>(Outcome.HUNG_UP);
    Mono<Void> loop =
        Mono.usingWhen(
            recognizer.open(),
            session -> new CallState(call, session, outcome).steps(),
            session -> Mono.fromRunnable(session::close));
    return loop.takeUntilOther(call.ended())
        .onErrorResume(
            e -> {
              log.warn("call {}: conversation failed, hanging up", call.id(), e);
              call.hangUp();
              return Mono.empty();
            })
        .then(call.ended())
        .then(Mono.fromSupplier(outcome::get));
  }

  private Instant now() {
    return Instant.ofEpochMilli(clock.now(TimeUnit.MILLISECONDS));
  }

  /** What the caller did: said something, or pressed 0. */
  private sealed interface Step {}

  private record Spoke(SpeechEvent.Ended speech) implements Step {}

  private record PressedZero(Instant at) implements Step {}

  /** The mutable state of one call. */
  private final class CallState {
    private final Call call;
    private final RecognitionSession session;
    private final AtomicReference<Outcome> outcome;
    private final AtomicInteger misses = new AtomicInteger();
    private final AtomicInteger index = new AtomicInteger();

    CallState(Call call, RecognitionSession session, AtomicReference<Outcome> outcome) {
      this.call = call;
      this.session = session;
      this.outcome = outcome;
    }

    Mono<Void> steps() {
      Flux<Step> spoken =
          segmenter
              .apply(call.inbound().map(f -> PcmAudio.of(f.samples(), f.sampleRate())))
              .ofType(SpeechEvent.Ended.class)
              .map(Spoke::new);
      Flux<Step> zero = call.dtmf().filter(k -> k == '0').map(k -> new PressedZero(now()));
      Mono<Void> greeting = call.play(speak.apply(prompts.greeting()));
      Flux<Void> turnsFlux =
          Flux.merge(spoken, zero)
              .switchMap(
                  step -> {
                    call.clearOutbound();
                    return turn(step);
                  });
      return Flux.merge(greeting.onErrorResume(e -> Mono.empty()), turnsFlux).then();
    }

    private Mono<Void> turn(Step step) {
      if (step instanceof PressedZero z) {
        return reply(
            new Decided("", Decision.HUMAN, null, z.at(), z.at(), z.at()),
            prompts.transfer(),
            true);
      }
      SpeechEvent.Ended speech = ((Spoke) step).speech();
      Instant ended = speech.detectedAt();
      return session
          .recognize(Flux.just(speech.audio()))
          .flatMap(
              t -> {
                Instant recognised = now();
                Mono<Answer> answer =
                    t.isEmpty()
                        ? Mono.just(new Answer(Decision.NONE, null, null, 0, List.of(), 0))
                        : decide.apply(t);
                return answer.map(
                    a -> new Decided(t.text(), a.decision(), a, ended, recognised, now()));
              })
          .flatMap(this::respond);
    }

    private Mono<Void> respond(Decided d) {
      Answer a = Objects.requireNonNull(d.answer());
      return switch (a.decision()) {
        case ANSWER -> {
          misses.set(0);
          yield reply(d, a.answer() + " " + prompts.anythingElse(), false);
        }
        case CLARIFY -> {
          misses.set(0);
          yield reply(d, prompts.clarify() + " " + a.answer(), false);
        }
        case NONE ->
            misses.incrementAndGet() >= prompts.maxMisses()
                ? reply(d, prompts.transfer(), true)
                : reply(d, prompts.rephrase(), false);
        case HUMAN -> reply(d, prompts.transfer(), true);
      };
    }

    private Mono<Void> reply(Decided d, String text, boolean transfer) {
      int n = index.incrementAndGet();
      AtomicBoolean reported = new AtomicBoolean();
      Answer a = d.answer();
      String entryId = a == null ? null : a.entryId();
      Consumer<@Nullable Instant> report =
          at -> {
            if (reported.compareAndSet(false, true)) {
              turns.accept(
                  new Turn(
                      n,
                      d.heard(),
                      d.decision(),
                      entryId,
                      text,
                      d.speechEnded(),
                      d.recognised(),
                      d.decided(),
                      at));
            }
          };
      Flux<AudioFrame> audio = speak.apply(text).doOnNext(f -> report.accept(now()));
      Mono<Void> played = call.play(audio).doOnSuccess(v -> report.accept(null));
      if (!transfer) {
        return played;
      }
      return played.then(
          Mono.fromRunnable(
              () -> {
                outcome.set(Outcome.TRANSFER);
                log.info("call {}: transfer requested ({})", call.id(), d.decision());
                call.transfer(
                    new TransferRequest(
                        call.id(),
                        d.heard(),
                        entryId,
                        d.decision() == Decision.NONE
                            ? TransferRequest.Reason.NOT_UNDERSTOOD
                            : d.heard().isEmpty()
                                ? TransferRequest.Reason.PRESSED_ZERO
                                : TransferRequest.Reason.ASKED_FOR_HUMAN));
              }));
    }
  }

  private record Decided(
      String heard,
      Decision decision,
      @Nullable Answer answer,
      Instant speechEnded,
      Instant recognised,
      Instant decided) {}
}
