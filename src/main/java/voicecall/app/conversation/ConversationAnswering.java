package voicecall.app.conversation;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import voicecall.app.knowledge.KnowledgeActivations;
import voicecall.app.telephony.CallAnswering;
import voicecall.app.telephony.ToneGreeting;
import voicecall.engine.audio.AudioFrame;
import voicecall.engine.call.Call;
import voicecall.engine.dialogue.Conversation;
import voicecall.engine.dialogue.Prompts;
import voicecall.engine.dialogue.Turn;
import voicecall.engine.stt.PocketSphinxRecognizer;
import voicecall.engine.vad.SegmenterConfig;
import voicecall.engine.vad.SileroVad;
import voicecall.engine.vad.SpeechSegmenter;
import voicecall.rag.KnowledgeBase;
import voicecall.rag.KnowledgeIndex;
import voicecall.rag.Language;
import voicecall.tts.OrderedSynthesis;
import voicecall.tts.Voice;

/**
 * Answers English calls with the spoken conversation once the recogniser is ready; every other call
 * (Korean, or English before the recogniser is ready or without PocketSphinx) gets the tone
 * greeting. The recogniser is built off the request path from the first activated knowledge version
 * and updated on each later one.
 */
public final class ConversationAnswering implements CallAnswering, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ConversationAnswering.class);

  private final CallAnswering fallback = new ToneGreeting();
  private final KnowledgeIndex index;
  private final OrderedSynthesis synthesis;
  private final Prompts prompts;
  private final Function<Call, Consumer<Turn>> turns;
  private final Scheduler startup =
      Schedulers.newBoundedElastic(1, 16, "conversation-startup", 60, true);
  private final AtomicReference<@Nullable Engines> engines = new AtomicReference<>();
  private final AtomicBoolean unavailable = new AtomicBoolean();
  private final Disposable activations;
  private final AtomicInteger active = new AtomicInteger();

  /** The speech-in parts, built once. */
  private record Engines(SileroVad vad, SpeechSegmenter segmenter, PocketSphinxRecognizer stt) {}

  ConversationAnswering(
      KnowledgeActivations activations,
      KnowledgeIndex index,
      OrderedSynthesis synthesis,
      Prompts prompts,
      Function<Call, Consumer<Turn>> turns) {
    this.index = index;
    this.synthesis = synthesis;
    this.prompts = prompts;
    this.turns = turns;
    this.activations =
        activations
            .versions()
            .publishOn(startup)
            .concatMap(this::activate, 1)
            .subscribe(v -> {}, e -> log.error("conversation set-up stopped", e));
  }

  private Mono<Long> activate(KnowledgeBase knowledge) {
    if (unavailable.get()) {
      return Mono.empty();
    }
    Engines current = engines.get();
    if (current != null) {
      return current
          .stt()
          .update(knowledge)
          .doOnNext(v -> log.info("recogniser updated to knowledge version {}", v))
          .onErrorResume(
              e -> {
                log.warn("recogniser kept its model: the new knowledge version failed", e);
                return Mono.empty();
              });
    }
    try {
      PocketSphinxRecognizer stt =
          PocketSphinxRecognizer.create(
              knowledge,
              PocketSphinxRecognizer.SYSTEM_MODEL,
              PocketSphinxRecognizer.Settings.defaults());
      SileroVad vad = SileroVad.create();
      engines.set(new Engines(vad, SpeechSegmenter.create(vad, SegmenterConfig.defaults()), stt));
      log.info("English spoken conversation ready");
      return Mono.just(0L);
    } catch (RuntimeException | LinkageError e) {
      unavailable.set(true);
      log.warn(
          "PocketSphinx or its English model is not available ({}): English calls keep the tone"
              + " greeting. Install pocketsphinx and pocketsphinx-en-us to enable the spoken"
              + " conversation.",
          e.toString());
      return Mono.empty();
    }
  }

  /**
   * Whether English calls get the spoken conversation now.
   *
   * @return true when the recogniser and VAD are ready
   */
  public boolean ready() {
    return engines.get() != null;
  }

  /**
   * How many conversations are running; each one holds a recognition session and a VAD stream.
   *
   * @return the count
   */
  public int activeConversations() {
    return active.get();
  }

  @Override
  public Mono<Void> answer(Call call) {
    Engines e = engines.get();
    if (e == null || !call.language().toLowerCase(Locale.ROOT).startsWith("en")) {
      return fallback.answer(call);
    }
    call.marks().mark("answered");
    AtomicLong at = new AtomicLong();
    Conversation conversation =
        Conversation.create(
            e.segmenter()::segment,
            e.stt(),
            t -> Mono.fromSupplier(() -> index.ask(t.text(), Language.EN)),
            text ->
                synthesis
                    .frames(text, Voice.of(voicecall.tts.Language.ENGLISH), call.sampleRate())
                    .map(
                        p ->
                            AudioFrame.of(
                                p.samples(), p.sampleRate(), at.getAndAdd(Call.FRAME_MILLIS))),
            prompts,
            turns.apply(call),
            Schedulers.parallel());
    return conversation
        .run(call)
        .doOnNext(o -> log.info("conversation outcome: {}", o))
        .doOnSubscribe(s -> active.incrementAndGet())
        .doFinally(
            signal -> {
              active.decrementAndGet();
              log.info("conversation closed ({})", signal);
            })
        .then();
  }

  @Override
  public void close() {
    activations.dispose();
    Engines e = engines.getAndSet(null);
    if (e != null) {
      e.stt().close();
      e.vad().close();
    }
    startup.dispose();
  }
}
