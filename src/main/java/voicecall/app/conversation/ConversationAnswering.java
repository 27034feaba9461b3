package voicecall.app.conversation;

import java.util.List;
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
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import voicecall.app.config.VoiceCallProperties;
import voicecall.app.knowledge.KnowledgeActivations;
import voicecall.app.recognition.LanguageRecognizers;
import voicecall.app.telephony.CallAnswering;
import voicecall.engine.audio.AudioFrame;
import voicecall.engine.call.Call;
import voicecall.engine.dialogue.Conversation;
import voicecall.engine.dialogue.DialogueSettings;
import voicecall.engine.dialogue.Prompts;
import voicecall.engine.dialogue.Turn;
import voicecall.engine.stt.PocketSphinxRecognizer;
import voicecall.engine.stt.Recognizer;
import voicecall.engine.vad.SegmenterConfig;
import voicecall.engine.vad.SileroVad;
import voicecall.engine.vad.SpeechSegmenter;
import voicecall.rag.Entry;
import voicecall.rag.KnowledgeBase;
import voicecall.rag.KnowledgeIndex;
import voicecall.rag.Language;
import voicecall.tts.OrderedSynthesis;
import voicecall.tts.Voice;

/**
 * Answers every call with the engine's call flow in the call's language: the spoken conversation
 * when a recogniser serves that language (English with PocketSphinx once it is ready, or a remote
 * recogniser with PocketSphinx as fallback; Korean only with a remote recogniser), otherwise the
 * keypad menu of the language's knowledge entries. {@link #conversationFor} is the one place that
 * chooses. The voice activity detector and the local recogniser are built off the request path from
 * the first activated knowledge version; the local recogniser is updated on each later one. The
 * detector does not need PocketSphinx: with the local recogniser off or not installed, Korean (and
 * English) calls that a remote recogniser serves still get the spoken conversation.
 */
public final class ConversationAnswering implements CallAnswering, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ConversationAnswering.class);

  private final KnowledgeIndex index;
  private final OrderedSynthesis synthesis;
  private final Prompts english;
  private final Prompts korean;
  private final DialogueSettings settings;
  private final LanguageRecognizers recognizers;
  private final VoiceCallProperties.LocalStt local;
  private final Function<Call, Consumer<Turn>> turns;
  private final @Nullable AnswerPhrasing phrasing;
  private final Runnable keypadFallbacks;
  private final Scheduler startup =
      Schedulers.newBoundedElastic(1, 16, "conversation-startup", 60, true);
  private final AtomicReference<@Nullable Engines> engines = new AtomicReference<>();
  private final AtomicBoolean unavailable = new AtomicBoolean();
  private final Disposable activations;
  private final AtomicInteger active = new AtomicInteger();

  /** The speech-in parts, built once; no local recogniser when it is off or not installed. */
  private record Engines(
      SileroVad vad, SpeechSegmenter segmenter, @Nullable PocketSphinxRecognizer stt) {}

  ConversationAnswering(
      KnowledgeActivations activations,
      KnowledgeIndex index,
      OrderedSynthesis synthesis,
      Prompts english,
      Prompts korean,
      DialogueSettings settings,
      LanguageRecognizers recognizers,
      VoiceCallProperties.LocalStt local,
      Function<Call, Consumer<Turn>> turns,
      @Nullable AnswerPhrasing phrasing,
      Runnable keypadFallbacks) {
    this.phrasing = phrasing;
    this.keypadFallbacks = keypadFallbacks;
    this.index = index;
    this.synthesis = synthesis;
    this.english = english;
    this.korean = korean;
    this.settings = settings;
    this.recognizers = recognizers;
    this.local = local;
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
      PocketSphinxRecognizer stt = current.stt();
      if (stt == null) {
        return Mono.empty();
      }
      return stt.update(knowledge)
          .doOnNext(v -> log.info("recogniser updated to knowledge version {}", v))
          .onErrorResume(
              e -> {
                log.warn("recogniser kept its model: the new knowledge version failed", e);
                return Mono.empty();
              });
    }
    SileroVad vad;
    try {
      vad = SileroVad.create();
    } catch (RuntimeException | LinkageError e) {
      unavailable.set(true);
      log.warn(
          "the voice activity detector (Silero VAD on onnxruntime) is not available ({}): every"
              + " call gets the keypad menu",
          e.toString());
      return Mono.empty();
    }
    PocketSphinxRecognizer stt = localEnglish(knowledge);
    engines.set(new Engines(vad, SpeechSegmenter.create(vad, SegmenterConfig.defaults()), stt));
    if (stt != null) {
      recognizers.useLocalEnglish(stt);
    }
    log.info(
        "spoken conversation ready: English {}, Korean {}",
        spoken("en") ? (stt == null ? "remote" : "yes") : "no (keypad menu)",
        spoken("ko") ? "remote" : "no (keypad menu)");
    return Mono.just(0L);
  }

  /** The local English recogniser, or null when it is off or PocketSphinx cannot be loaded. */
  private @Nullable PocketSphinxRecognizer localEnglish(KnowledgeBase knowledge) {
    if (!local.enabled()) {
      log.info("local English recogniser off (voicecall.stt.local.enabled=false)");
      return null;
    }
    try {
      return PocketSphinxRecognizer.create(
          knowledge,
          local.model(),
          PocketSphinxRecognizer.Settings.defaults().withMaxSessions(local.maxSessions()));
    } catch (RuntimeException | LinkageError e) {
      log.warn(
          "PocketSphinx or its English model (voicecall.stt.local.model={}) is not available"
              + " ({}): English calls get the remote recogniser if one serves English, else the"
              + " keypad menu. Install pocketsphinx and pocketsphinx-en-us to enable it.",
          local.model(),
          e.toString());
      return null;
    }
  }

  /**
   * Whether start-up of speech input is over: the voice activity detector is ready, and the local
   * recogniser is built (or off, or found missing).
   *
   * @return true once calls can get the spoken conversation
   */
  public boolean ready() {
    return engines.get() != null;
  }

  /**
   * Whether calls in a language get the spoken conversation now, rather than the keypad menu.
   *
   * @param languageTag the call's language, e.g. {@code en} or {@code ko}
   * @return true when the detector is ready and a recogniser serves the language
   */
  public boolean spoken(String languageTag) {
    return engines.get() != null && recognizers.forLanguage(languageTag).isPresent();
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
    call.marks().mark("answered");
    return conversationFor(call)
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

  /** What recognises a language's speech: the segmenter and the recogniser. */
  private record SpeechIn(SpeechSegmenter segmenter, Recognizer recognizer) {}

  /**
   * The speech-in parts for a language, if any: the VAD's segmenter with the recogniser that {@link
   * LanguageRecognizers} routes the language to (local, remote, or remote with local fallback).
   */
  private @Nullable SpeechIn speechIn(Language language) {
    Engines e = engines.get();
    if (e == null) {
      return null;
    }
    return recognizers
        .forLanguage(language.code())
        .map(stt -> new SpeechIn(e.segmenter(), stt))
        .orElse(null);
  }

  /** The one place that chooses: spoken if a recogniser serves the language, else the keypad. */
  private Conversation conversationFor(Call call) {
    Language language =
        call.language().toLowerCase(Locale.ROOT).startsWith("ko") ? Language.KO : Language.EN;
    Prompts prompts = language == Language.KO ? korean : english;
    voicecall.tts.Language spokenIn =
        language == Language.KO ? voicecall.tts.Language.KOREAN : voicecall.tts.Language.ENGLISH;
    AtomicLong at = new AtomicLong();
    Function<String, Flux<AudioFrame>> speak =
        text ->
            synthesis
                .frames(text, Voice.of(spokenIn), call.sampleRate())
                .map(
                    p ->
                        AudioFrame.of(
                            p.samples(), p.sampleRate(), at.getAndAdd(Call.FRAME_MILLIS)));
    SpeechIn in = speechIn(language);
    if (in == null) {
      log.info("call {}: keypad menu ({}: no recogniser)", call.id(), language.code());
      return Conversation.menu(
          () -> entriesIn(language),
          speak,
          prompts,
          settings,
          turns.apply(call),
          Schedulers.parallel());
    }
    Conversation spoken =
        Conversation.create(
                in.segmenter()::segmentWithAudio,
                in.recognizer(),
                t -> Mono.fromSupplier(() -> recognizers.decide(index, t, language)),
                id -> index.current().entry(id),
                speak,
                prompts,
                settings,
                turns.apply(call),
                Schedulers.parallel())
            .withKeypadFallback(() -> entriesIn(language), keypadFallbacks);
    AnswerPhrasing p = phrasing;
    return p == null ? spoken : p.applyTo(spoken, index);
  }

  /** The active knowledge version's entries in a language, in their order. */
  private List<Entry> entriesIn(Language language) {
    return index.current().entries().stream().filter(e -> e.language() == language).toList();
  }

  @Override
  public void close() {
    activations.dispose();
    Engines e = engines.getAndSet(null);
    if (e != null) {
      PocketSphinxRecognizer stt = e.stt();
      if (stt != null) {
        stt.close();
      }
      e.vad().close();
    }
    startup.dispose();
  }
}
