package voicecall.engine.dialogue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.util.concurrent.Queues;
import voicecall.engine.audio.AudioFrame;
import voicecall.engine.call.Call;
import voicecall.engine.call.TransferRequest;
import voicecall.engine.stt.RecognitionException;
import voicecall.engine.stt.RecognitionSession;
import voicecall.engine.stt.Recognizer;
import voicecall.engine.stt.Transcript;
import voicecall.engine.vad.SpeechEvent;
import voicecall.rag.Alternative;
import voicecall.rag.Answer;
import voicecall.rag.Decision;
import voicecall.rag.Entry;
import voicecall.tts.audio.PcmAudio;

/**
 * The call flow of one call, spoken or on the keypad.
 *
 * <p>Spoken ({@link #create}): the greeting, then for each utterance the segmenter reports it
 * recognises the speech, asks the knowledge base and speaks the reply: an answer and "anything
 * else?", a clarifying question about one or two candidates (understood from yes/no/one/two or keys
 * 1/2 in the next turn), a rephrase request, or the transfer prompt. "No thanks", "that's all"
 * after an answer end the call politely.
 *
 * <p>Keypad ({@link #menu}, for calls without a recogniser for their language): the greeting and a
 * menu of knowledge entries; a digit speaks that entry's answer and the menu again.
 *
 * <p>Both: DTMF {@code 0} transfers, {@code *} repeats the last reply; after a reply the engine
 * waits {@link DialogueSettings#silenceTimeout()} for the caller, asks whether they are still
 * there, and after {@link DialogueSettings#maxSilences()} silences says goodbye and hangs up; at
 * {@link DialogueSettings#maxCallLength()} it says goodbye and hangs up. A new step (utterance,
 * key) cancels the running reply and clears the call's queued audio ({@code switchMap}).
 *
 * <p>Barge-in while a reply plays is decided on the caller's audio as it arrives, not at the end of
 * the utterance: once the segmenter reports speech, the reply has played for the hold-off, and the
 * caller's level is within {@link DialogueSettings#bargeInMarginDb()} of the reply's, the reply
 * stops at once. Speech during a reply that never passes that check is taken for the line's echo of
 * our own voice and ignored.
 *
 * <p>Recognition runs while the caller speaks: at the segmenter's start of speech the call's
 * recognition session is opened for the utterance and fed the {@link SpeechEvent.Audio} pieces as
 * they come (a segmenter that sends none has the whole utterance fed at its end), so at the end of
 * speech only finalisation is left. Utterances are recognised one after another: one that starts
 * while the previous is still finalising waits, its audio buffered, for the session. Speech that
 * turns out to be noise (rejected) has its recognition cancelled; speech that begins during a reply
 * is decoded only once a barge-in or its end shows it is the caller, so the echo never is.
 *
 * <p>One instance serves many calls; {@link #run(Call)} holds the state of one call. Everything a
 * call started is cancelled when the call ends.
 */
public final class Conversation {

  private static final Logger log = LoggerFactory.getLogger(Conversation.class);

  /** Utterances longer than this are never taken for a yes/no or one/two reply. */
  private static final int SHORT_REPLY_WORDS = 4;

  /**
   * The first-sentence deadline of a conversation without phrasing, where nothing reads it; {@link
   * #withPhrasing} sets the real one.
   */
  private static final Duration NO_PHRASING_DEADLINE = Duration.ofMillis(700);

  private final @Nullable Function<Flux<PcmAudio>, Flux<SpeechEvent>> segmenter;
  private final @Nullable Recognizer recognizer;
  private final Function<Transcript, Mono<Answer>> decide;
  private final Function<String, Optional<Entry>> entries;
  private final Supplier<List<Entry>> menuEntries;
  private final Function<String, Flux<AudioFrame>> speak;
  private final Prompts prompts;
  private final DialogueSettings settings;
  private final Consumer<Turn> turns;
  private final Scheduler clock;
  private final @Nullable Phrasing phrasing;
  private final Duration phrasingDeadline;
  private final Consumer<Phrasing.Result> phrasingResults;
  private final @Nullable Runnable keypadFallback;

  private Conversation(
      @Nullable Function<Flux<PcmAudio>, Flux<SpeechEvent>> segmenter,
      @Nullable Recognizer recognizer,
      Function<Transcript, Mono<Answer>> decide,
      Function<String, Optional<Entry>> entries,
      Supplier<List<Entry>> menuEntries,
      Function<String, Flux<AudioFrame>> speak,
      Prompts prompts,
      DialogueSettings settings,
      Consumer<Turn> turns,
      Scheduler clock,
      @Nullable Phrasing phrasing,
      Duration phrasingDeadline,
      Consumer<Phrasing.Result> phrasingResults,
      @Nullable Runnable keypadFallback) {
    this.segmenter = segmenter;
    this.recognizer = recognizer;
    this.decide = Objects.requireNonNull(decide, "decide");
    this.entries = Objects.requireNonNull(entries, "entries");
    this.menuEntries = Objects.requireNonNull(menuEntries, "menuEntries");
    this.speak = Objects.requireNonNull(speak, "speak");
    this.prompts = Objects.requireNonNull(prompts, "prompts");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.turns = Objects.requireNonNull(turns, "turns");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.phrasing = phrasing;
    this.phrasingDeadline = Objects.requireNonNull(phrasingDeadline, "phrasingDeadline");
    this.phrasingResults = Objects.requireNonNull(phrasingResults, "phrasingResults");
    this.keypadFallback = keypadFallback;
    if (phrasingDeadline.isNegative() || phrasingDeadline.isZero()) {
      throw new IllegalArgumentException(
          "the first-sentence deadline must be positive: " + phrasingDeadline);
    }
  }

  /**
   * This conversation with knowledge answers phrased by {@code phrasing} (e.g. a language model):
   * each phrased sentence is synthesised and spoken as soon as it arrives, then "anything else?".
   * When no sentence comes within {@code firstSentenceDeadline}, or the phrasing fails before its
   * first sentence, the knowledge answer is spoken instead; a failure after it ends the reply.
   * Clarifying questions, prompts and keypad answers are never phrased.
   *
   * @param phrasing the sentences of an answer
   * @param firstSentenceDeadline how long the caller may wait for the first sentence
   * @param results told how each phrased reply turned out (metrics); must not block
   * @return the conversation with phrasing
   */
  public Conversation withPhrasing(
      Phrasing phrasing, Duration firstSentenceDeadline, Consumer<Phrasing.Result> results) {
    return new Conversation(
        segmenter,
        recognizer,
        decide,
        entries,
        menuEntries,
        speak,
        prompts,
        settings,
        turns,
        clock,
        Objects.requireNonNull(phrasing, "phrasing"),
        firstSentenceDeadline,
        results,
        keypadFallback);
  }

  /**
   * This spoken conversation with the keypad menu as its fallback: a call that finds the recogniser
   * busy (every session taken: {@link RecognitionException.Reason#BUSY}) gets the keypad menu of
   * {@code menuEntries}, as a call without a recogniser does, instead of being hung up on.
   *
   * @param menuEntries the entries to offer, read once per call that falls back
   * @param fellBack told each time a call falls back (a metric); must not block
   * @return the conversation with the fallback
   */
  public Conversation withKeypadFallback(Supplier<List<Entry>> menuEntries, Runnable fellBack) {
    return new Conversation(
        segmenter,
        recognizer,
        decide,
        entries,
        Objects.requireNonNull(menuEntries, "menuEntries"),
        speak,
        prompts,
        settings,
        turns,
        clock,
        phrasing,
        phrasingDeadline,
        phrasingResults,
        Objects.requireNonNull(fellBack, "fellBack"));
  }

  /**
   * Creates the spoken conversation.
   *
   * @param segmenter end-of-speech detection, e.g. {@code SpeechSegmenter::segment}
   * @param recognizer opens one recognition session per call
   * @param decide the knowledge decision for a transcript, e.g. a wrapper of {@code
   *     KnowledgeIndex.ask}
   * @param entries finds an entry by id (the labels and answers of clarifying questions)
   * @param speak the audio of a text at the call's rate, in frames
   * @param prompts what to say besides answers, and the caller's words
   * @param settings timeouts, limits and the barge-in guard
   * @param turns told about every finished turn (metrics, logs); must not block
   * @param clock the clock of the timeouts and latency marks
   * @return the conversation
   */
  public static Conversation create(
      Function<Flux<PcmAudio>, Flux<SpeechEvent>> segmenter,
      Recognizer recognizer,
      Function<Transcript, Mono<Answer>> decide,
      Function<String, Optional<Entry>> entries,
      Function<String, Flux<AudioFrame>> speak,
      Prompts prompts,
      DialogueSettings settings,
      Consumer<Turn> turns,
      Scheduler clock) {
    return new Conversation(
        Objects.requireNonNull(segmenter, "segmenter"),
        Objects.requireNonNull(recognizer, "recognizer"),
        decide,
        entries,
        List::of,
        speak,
        prompts,
        settings,
        turns,
        clock,
        null,
        NO_PHRASING_DEADLINE,
        r -> {},
        null);
  }

  /**
   * Creates the keypad menu for calls nobody can recognise: the first {@link
   * DialogueSettings#menuSize()} entries of {@code menuEntries} become keys 1, 2, ….
   *
   * @param menuEntries the entries to offer, read once per call (the caller's language's entries of
   *     the active knowledge version, in order)
   * @param speak the audio of a text at the call's rate, in frames
   * @param prompts what to say, in the call's language
   * @param settings timeouts and limits
   * @param turns told about every answered key; must not block
   * @param clock the clock of the timeouts and latency marks
   * @return the menu conversation
   */
  public static Conversation menu(
      Supplier<List<Entry>> menuEntries,
      Function<String, Flux<AudioFrame>> speak,
      Prompts prompts,
      DialogueSettings settings,
      Consumer<Turn> turns,
      Scheduler clock) {
    return new Conversation(
        null,
        null,
        t -> Mono.error(new IllegalStateException("the keypad menu does not recognise speech")),
        id -> Optional.empty(),
        menuEntries,
        speak,
        prompts,
        settings,
        turns,
        clock,
        null,
        NO_PHRASING_DEADLINE,
        r -> {},
        null);
  }

  /**
   * Serves one call until it ends.
   *
   * @param call the connected call
   * @return the outcome, when the call has ended
   */
  public Mono<Outcome> run(Call call) {
    AtomicReference<Outcome> outcome = new AtomicReference<>(Outcome.HUNG_UP);
    Recognizer r = recognizer;
    Mono<Void> keypad = Mono.defer(() -> new CallState(call, null, outcome).steps());
    Runnable fallback = keypadFallback;
    Mono<Void> loop =
        r == null
            ? keypad
            : Mono.usingWhen(
                    r.open().onErrorMap(e -> fallback != null && isBusy(e), NoSessionFree::new),
                    session -> new CallState(call, session, outcome).steps(),
                    session -> Mono.fromRunnable(session::close))
                .onErrorResume(
                    NoSessionFree.class,
                    e -> {
                      log.warn(
                          "call {}: no recognition session free ({}), keypad menu instead",
                          call.id(),
                          e.getMessage());
                      Objects.requireNonNull(fallback).run();
                      return keypad;
                    });
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

  /** The recogniser had no session free for a call that can fall back to the keypad. */
  private static final class NoSessionFree extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NoSessionFree(Throwable busy) {
      super(busy.getMessage(), busy);
    }
  }

  private static boolean isBusy(Throwable e) {
    return e instanceof RecognitionException re && re.reason() == RecognitionException.Reason.BUSY;
  }

  /**
   * The text that offers a keypad menu: the intro, one item per entry (its first tag, or its first
   * question when another item shares that tag) and the outro.
   *
   * @param entries the entries in menu order; the first {@code size} are offered
   * @param prompts the menu prompts
   * @param size how many items at most
   * @return what the caller hears after the greeting and after each answer
   */
  public static String menuText(List<Entry> entries, Prompts prompts, int size) {
    return Menu.of(entries, prompts, size).text();
  }

  private Instant now() {
    return Instant.ofEpochMilli(clock.now(TimeUnit.MILLISECONDS));
  }

  /** The keypad menu of one call: its entries and the text that offers them. */
  record Menu(List<Entry> items, String text) {

    static Menu of(List<Entry> entries, Prompts prompts, int size) {
      List<Entry> items = List.copyOf(entries.subList(0, Math.min(size, entries.size())));
      StringBuilder text = new StringBuilder(prompts.menuIntro());
      for (int i = 0; i < items.size(); i++) {
        text.append(' ')
            .append(
                prompts
                    .menuItem()
                    .replace("{digit}", Integer.toString(i + 1))
                    .replace("{label}", label(items, i)));
      }
      text.append(' ').append(prompts.menuOutro());
      return new Menu(items, text.toString());
    }

    /** An entry's first tag when no other item shares it, else its first question. */
    static String label(List<Entry> items, int i) {
      Entry e = items.get(i);
      if (!e.tags().isEmpty()) {
        String tag = e.tags().get(0);
        long same =
            items.stream().filter(o -> !o.tags().isEmpty() && o.tags().get(0).equals(tag)).count();
        if (same == 1) {
          return tag;
        }
      }
      return question(e);
    }
  }

  /** An entry's first question without its final punctuation, as a spoken label. */
  static String question(Entry e) {
    return e.questions().get(0).replaceAll("[?？.!。\\s]+$", "");
  }

  /** What happened on the call that the flow reacts to. */
  private sealed interface Step {}

  /** The call was answered. */
  private record Greet() implements Step {}

  /** The caller finished an utterance; its transcript comes from the recognition fed meanwhile. */
  private record Spoke(SpeechEvent.Ended speech, Mono<Transcript> transcript) implements Step {}

  /** The caller pressed a key. */
  private record Pressed(char key, Instant at) implements Step {}

  /** The caller began to speak while the engine waited (stops the silence timer). */
  private record Listening() implements Step {}

  /** What the caller began turned out to be noise: wait again. */
  private record Resume() implements Step {}

  /** The caller talked over the reply: it stops at once. */
  private record Interrupt() implements Step {}

  /** The call reached its maximum length. */
  private record TooLong() implements Step {}

  /** Where the flow is, for the barge-in and silence decisions. */
  private enum Phase {
    BUSY,
    PLAYING,
    WAITING,
    LISTENING
  }

  /** The mutable state of one call. */
  private final class CallState {
    private final Call call;
    private final @Nullable RecognitionSession session;
    private final AtomicReference<Outcome> outcome;
    private final Menu menu;
    private final AtomicInteger misses = new AtomicInteger();
    private final AtomicInteger silences = new AtomicInteger();
    private final AtomicInteger index = new AtomicInteger();
    private final AtomicReference<String> lastReply;
    private final AtomicReference<List<Entry>> offered = new AtomicReference<>(List.of());
    private final AtomicBoolean askedAnythingElse = new AtomicBoolean();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final AtomicReference<Phase> phase = new AtomicReference<>(Phase.BUSY);
    private final AtomicLong replyStartedAt = new AtomicLong();
    private final AtomicBoolean speaking = new AtomicBoolean();
    private final AtomicBoolean startedDuringReply = new AtomicBoolean();
    private final AtomicBoolean bargedIn = new AtomicBoolean();

    /** The caller's last spoken question and its entry, for a transfer asked for by key. */
    private final AtomicReference<TransferContext> lastQuestion =
        new AtomicReference<>(new TransferContext("", null));

    private final EchoGuard echo = new EchoGuard(settings.bargeInMarginDb());
    private final Sinks.Many<Step> control = Sinks.many().unicast().onBackpressureBuffer();

    /** Utterances to recognise, in order; taken one at a time by the call's session. */
    private final Sinks.Many<Hearing> hearings = Sinks.many().unicast().onBackpressureBuffer();

    /**
     * The utterance being spoken; set only by the segmenter's events, one at a time, and read by
     * the barge-in check.
     */
    private volatile @Nullable Hearing hearing;

    CallState(Call call, @Nullable RecognitionSession session, AtomicReference<Outcome> outcome) {
      this.call = call;
      this.session = session;
      this.outcome = outcome;
      this.menu = Menu.of(menuEntries.get(), prompts, settings.menuSize());
      this.lastReply = new AtomicReference<>(greetingText());
    }

    private String greetingText() {
      return session == null ? prompts.greeting() + " " + menu.text() : prompts.greeting();
    }

    private void emit(Step step) {
      control.emitNext(step, Sinks.EmitFailureHandler.busyLooping(Duration.ofMillis(100)));
    }

    Mono<Void> steps() {
      Flux<Step> spoken = Flux.empty();
      Function<Flux<PcmAudio>, Flux<SpeechEvent>> seg = segmenter;
      if (seg != null) {
        Flux<PcmAudio> inbound =
            call.inbound()
                .doOnNext(
                    f -> {
                      echo.inbound(f);
                      checkBargeIn();
                    })
                .map(f -> PcmAudio.of(f.samples(), f.sampleRate()));
        spoken = seg.apply(inbound).concatMap(e -> Mono.justOrEmpty(onSpeech(e)));
      }
      RecognitionSession recognising = session;
      Flux<Step> recognition =
          recognising == null
              ? Flux.empty()
              : hearings.asFlux().concatMap(h -> h.run(recognising)).thenMany(Flux.empty());
      Flux<Step> keys = call.dtmf().map(k -> new Pressed(k, now()));
      Flux<Step> tooLong =
          Mono.delay(settings.maxCallLength(), clock).map(x -> (Step) new TooLong()).flux();
      return Flux.merge(spoken, keys, tooLong, control.asFlux(), recognition)
          .startWith(new Greet())
          .filter(s -> !closing.get())
          .switchMap(this::step)
          .then();
    }

    /** Turns a segmenter event into a step, or none (echo, noise, speech during processing). */
    private @Nullable Step onSpeech(SpeechEvent event) {
      if (event instanceof SpeechEvent.Audio a) {
        Hearing h = hearing;
        if (h != null) {
          h.feed(a.audio());
        }
        return null;
      }
      if (event instanceof SpeechEvent.Started) {
        Phase p = phase.get();
        // during a reply it may be the echo: decoded only once it is taken for the caller
        startHearing(p != Phase.PLAYING);
        speaking.set(true);
        if (p == Phase.PLAYING) {
          startedDuringReply.set(true);
          bargedIn.set(false);
          checkBargeIn();
          return null;
        }
        startedDuringReply.set(false);
        return p == Phase.WAITING ? new Listening() : null;
      }
      speaking.set(false);
      boolean echoOnly = startedDuringReply.getAndSet(false) && !bargedIn.get();
      Hearing h = hearing;
      hearing = null;
      if (event instanceof SpeechEvent.Ended ended) {
        if (ended.reason() == SpeechEvent.EndReason.MAX_LENGTH) {
          // a monologue: this piece is taken as a turn, the rest goes on as the next utterance
          log.info(
              "call {}: utterance cut at the maximum length ({} ms of speech)",
              call.id(),
              ended.end().minus(ended.start()).toMillis());
        }
        if (echoOnly) {
          log.debug("call {}: speech during the reply ignored (echo or too quiet)", call.id());
          if (h != null) {
            h.cancel("echo");
          }
          return phase.get() == Phase.LISTENING ? new Resume() : null;
        }
        if (h == null) {
          // an end without a start (not from SpeechSegmenter): recognise it all now
          h = new Hearing(call.id(), true);
          hearings.emitNext(h, Sinks.EmitFailureHandler.busyLooping(Duration.ofMillis(100)));
        }
        return new Spoke(ended, h.end(ended.audio()));
      }
      if (h != null) {
        h.cancel("rejected");
      }
      return phase.get() == Phase.LISTENING ? new Resume() : null;
    }

    /**
     * Opens the recognition of an utterance that has just started; one not yet {@code admitted}
     * buffers its audio until a barge-in or its end shows it is the caller.
     */
    private void startHearing(boolean admitted) {
      if (session == null) {
        return;
      }
      Hearing open = hearing;
      if (open != null) {
        open.cancel("started again before it ended");
      }
      Hearing h = new Hearing(call.id(), admitted);
      hearing = h;
      hearings.emitNext(h, Sinks.EmitFailureHandler.busyLooping(Duration.ofMillis(100)));
    }

    /** Stops the reply when the caller, not the echo, talks over it. */
    private void checkBargeIn() {
      if (phase.get() != Phase.PLAYING || !speaking.get() || bargedIn.get()) {
        return;
      }
      long playedFor = clock.now(TimeUnit.MILLISECONDS) - replyStartedAt.get();
      if (playedFor < settings.bargeInHoldOff().toMillis() || !echo.callerOverReply()) {
        return;
      }
      if (bargedIn.compareAndSet(false, true)) {
        log.info(
            "call {}: barge-in (caller {} dBFS, reply {} dBFS)",
            call.id(),
            Math.round(echo.inboundLevelDb()),
            Math.round(echo.outboundLevelDb()));
        phase.set(Phase.LISTENING);
        call.clearOutbound();
        Hearing h = hearing;
        if (h != null) {
          h.admit();
        }
        emit(new Interrupt());
      }
    }

    private Mono<Void> step(Step step) {
      return stepOf(step)
          .onErrorResume(
              e -> {
                log.warn("call {}: a turn failed, waiting for the caller", call.id(), e);
                return awaitCaller();
              });
    }

    private Mono<Void> stepOf(Step step) {
      if (step instanceof Greet) {
        return speakReply(greetingText(), null).then(Mono.defer(this::awaitCaller));
      }
      if (step instanceof Spoke s) {
        call.clearOutbound();
        silences.set(0);
        phase.set(Phase.BUSY);
        return heard(s);
      }
      if (step instanceof Pressed p) {
        call.clearOutbound();
        silences.set(0);
        phase.set(Phase.BUSY);
        return pressed(p);
      }
      if (step instanceof Listening) {
        phase.set(Phase.LISTENING);
        return Mono.never();
      }
      if (step instanceof Resume) {
        return awaitCaller();
      }
      if (step instanceof Interrupt) {
        call.clearOutbound();
        return Mono.never();
      }
      return goodbye(Outcome.MAX_DURATION, null);
    }

    private Mono<Void> pressed(Pressed p) {
      List<Entry> choices =
          Objects.requireNonNull(p.key() == '*' ? offered.get() : offered.getAndSet(List.of()));
      Decided byKey = new Decided("", Decision.HUMAN, null, p.at(), p.at(), p.at());
      char k = p.key();
      if (k == '0') {
        return reply(byKey, prompts.transfer(), true);
      }
      if (k == '*') {
        return speakReply(Objects.requireNonNull(lastReply.get()), null).then(awaitCaller());
      }
      if (!choices.isEmpty() && (k == '1' || k == '2')) {
        return choose(choices, k == '1' ? 0 : 1, "", p.at(), p.at());
      }
      int digit = k - '0';
      if (digit >= 1 && digit <= menu.items().size()) {
        Entry e = menu.items().get(digit - 1);
        return answerWith(e, new Decided("", Decision.ANSWER, null, p.at(), p.at(), p.at()));
      }
      log.debug("call {}: key {} ignored", call.id(), k);
      return awaitCaller();
    }

    /** Answers a choice of a clarifying question; 1 = yes/first, 2 = no/second. */
    private Mono<Void> choose(
        List<Entry> choices, int which, String heard, Instant at, Instant rec) {
      if (which >= choices.size()) {
        // "no" to the only candidate
        return reply(
            new Decided(heard, Decision.NONE, null, at, rec, now()), prompts.rephrase(), false);
      }
      return answerWith(
          choices.get(which), new Decided(heard, Decision.ANSWER, null, at, rec, now()));
    }

    private Mono<Void> answerWith(Entry e, Decided d) {
      misses.set(0);
      String after = session == null ? menu.text() : prompts.anythingElse();
      Decided withEntry =
          new Decided(
              d.heard(),
              Decision.ANSWER,
              new Answer(Decision.ANSWER, e.id(), e.answer(), 1, List.of(), 0),
              d.speechEnded(),
              d.recognised(),
              d.decided());
      askedAnythingElse.set(session != null);
      return reply(withEntry, e.answer() + " " + after, false);
    }

    private Mono<Void> heard(Spoke spoke) {
      Instant ended = spoke.speech().detectedAt();
      return spoke
          .transcript()
          .flatMap(
              t -> {
                Instant recognised = now();
                Mono<Void> shortReply = understoodReply(t.text(), ended, recognised);
                if (shortReply != null) {
                  return shortReply;
                }
                boolean mayBeDone = askedAnythingElse.getAndSet(false);
                Mono<Answer> answer =
                    t.isEmpty()
                        ? Mono.just(new Answer(Decision.NONE, null, null, 0, List.of(), 0))
                        : decide.apply(t);
                return answer.flatMap(
                    a -> {
                      Decided d = new Decided(t.text(), a.decision(), a, ended, recognised, now());
                      if (mayBeDone
                          && a.decision() != Decision.ANSWER
                          && CallerWords.saysAny(t.text(), prompts.words().done())) {
                        log.info("call {}: the caller is done ('{}')", call.id(), t.text());
                        return goodbye(Outcome.COMPLETED, report(d, prompts.goodbye()));
                      }
                      return respond(d);
                    });
              });
    }

    /** A yes/no/one/two reply to the pending clarifying question, or null for a new question. */
    private @Nullable Mono<Void> understoodReply(String text, Instant ended, Instant recognised) {
      List<Entry> choices = offered.getAndSet(List.of());
      if (choices.isEmpty() || text.isBlank()) {
        return null;
      }
      CallerWords w = prompts.words();
      if (CallerWords.normalise(text).split(" ").length > SHORT_REPLY_WORDS) {
        return null;
      }
      boolean single = choices.size() == 1;
      if (CallerWords.saysAny(text, w.second()) && !single) {
        return choose(choices, 1, text, ended, recognised);
      }
      if (CallerWords.saysAny(text, w.first()) || (single && CallerWords.saysAny(text, w.yes()))) {
        return choose(choices, 0, text, ended, recognised);
      }
      if (CallerWords.saysAny(text, w.no())) {
        return choose(choices, choices.size(), text, ended, recognised);
      }
      return null;
    }

    private Mono<Void> respond(Decided d) {
      Answer a = Objects.requireNonNull(d.answer());
      return switch (a.decision()) {
        case ANSWER -> {
          misses.set(0);
          askedAnythingElse.set(true);
          Phrasing p = phrasing;
          yield p == null
              ? reply(d, a.answer() + " " + prompts.anythingElse(), false)
              : phrasedReply(d, a, p);
        }
        case CLARIFY -> {
          misses.set(0);
          yield reply(d, clarifyingQuestion(a), false);
        }
        case NONE ->
            misses.incrementAndGet() >= settings.maxMisses()
                ? reply(d, prompts.transfer(), true)
                : reply(d, prompts.rephrase(), false);
        case HUMAN -> reply(d, prompts.transfer(), true);
      };
    }

    /** "Did you mean A, or B?" about the candidates, remembered for the next turn. */
    private String clarifyingQuestion(Answer a) {
      List<Entry> choices = new ArrayList<>(2);
      entries.apply(Objects.requireNonNull(a.entryId())).ifPresent(choices::add);
      if (choices.isEmpty()) {
        return prompts.clarification();
      }
      if (!a.alternatives().isEmpty()) {
        Alternative runnerUp = a.alternatives().get(0);
        if (a.score() - runnerUp.score() <= settings.clarifyRunnerUpWithin()) {
          entries.apply(runnerUp.entryId()).ifPresent(choices::add);
        }
      }
      offered.set(List.copyOf(choices));
      if (choices.size() == 1) {
        return prompts.clarifyOne().replace("{1}", question(choices.get(0)))
            + " "
            + prompts.clarifyYesNo();
      }
      return prompts
              .clarifyTwo()
              .replace("{1}", question(choices.get(0)))
              .replace("{2}", question(choices.get(1)))
          + " "
          + prompts.clarifyChoose();
    }

    /** Waits for the caller after a reply; silence re-prompts, then ends the call. */
    private Mono<Void> awaitCaller() {
      return Mono.fromRunnable(() -> phase.set(Phase.WAITING))
          .then(Mono.delay(settings.silenceTimeout(), clock))
          .then(
              Mono.defer(
                  () -> {
                    if (silences.incrementAndGet() >= settings.maxSilences()) {
                      log.info("call {}: no reply from the caller, ending the call", call.id());
                      return goodbye(Outcome.TIMED_OUT, null);
                    }
                    String stillThere =
                        session == null
                            ? prompts.stillThere() + " " + menu.text()
                            : prompts.stillThere();
                    return speakReply(stillThere, null).then(Mono.defer(this::awaitCaller));
                  }));
    }

    private Mono<Void> goodbye(Outcome ending, @Nullable Consumer<@Nullable Instant> turn) {
      closing.set(true);
      phase.set(Phase.BUSY);
      call.clearOutbound();
      outcome.set(ending);
      return speakReply(prompts.goodbye(), turn)
          .onErrorResume(e -> Mono.empty())
          .then(
              Mono.fromRunnable(
                  () -> {
                    log.info("call {}: goodbye ({})", call.id(), ending);
                    call.hangUp();
                  }));
    }

    /**
     * An answer in the phrasing's sentences and "anything else?", each sentence synthesised as soon
     * as it arrives and spoken in order.
     */
    private Mono<Void> phrasedReply(Decided d, Answer a, Phrasing p) {
      String faq = Objects.requireNonNull(a.answer());
      StringBuffer said = new StringBuffer();
      Flux<String> sentences =
          Phrasing.guarded(
                  Flux.defer(() -> p.phrase(d.heard(), a)),
                  faq,
                  phrasingDeadline,
                  clock,
                  phrasingResults)
              .concatWith(Flux.just(prompts.anythingElse()))
              .doOnNext(s -> said.append(said.length() == 0 ? "" : " ").append(s));
      Flux<AudioFrame> audio = sentences.flatMapSequential(speak, 2);
      return play(audio, report(d, said::toString))
          .doOnSuccess(v -> lastReply.set(said.toString()))
          .then(Mono.defer(this::awaitCaller));
    }

    /** Plays a text as the current reply (barge-in and repeat know about it). */
    private Mono<Void> speakReply(String text, @Nullable Consumer<@Nullable Instant> firstFrame) {
      lastReply.set(text);
      return play(speak.apply(text), firstFrame);
    }

    /** Plays audio as the current reply. */
    private Mono<Void> play(
        Flux<AudioFrame> frames, @Nullable Consumer<@Nullable Instant> firstFrame) {
      Flux<AudioFrame> audio =
          frames.doOnNext(
              f -> {
                echo.outbound(f);
                if (firstFrame != null) {
                  firstFrame.accept(now());
                }
              });
      return call.play(audio)
          .doOnSubscribe(
              s -> {
                echo.replyStarted();
                replyStartedAt.set(clock.now(TimeUnit.MILLISECONDS));
                bargedIn.set(false);
                phase.set(Phase.PLAYING);
              })
          .doOnSuccess(
              v -> {
                if (firstFrame != null) {
                  firstFrame.accept(null);
                }
              });
    }

    /** Reports the turn once, with the first reply frame's time or none. */
    private Consumer<@Nullable Instant> report(Decided d, String text) {
      return report(d, () -> text);
    }

    /** Reports the turn once; the text is read when the first frame plays (or the reply ends). */
    private Consumer<@Nullable Instant> report(Decided d, Supplier<String> text) {
      int n = index.incrementAndGet();
      AtomicBoolean reported = new AtomicBoolean();
      Answer a = d.answer();
      String entryId = a == null ? null : a.entryId();
      if (!d.heard().isEmpty()) {
        lastQuestion.set(new TransferContext(d.heard(), entryId));
      }
      return at -> {
        if (reported.compareAndSet(false, true)) {
          turns.accept(
              new Turn(
                  n,
                  d.heard(),
                  d.decision(),
                  entryId,
                  a == null ? null : a.score(),
                  text.get(),
                  d.speechEnded(),
                  d.recognised(),
                  d.decided(),
                  at));
        }
      };
    }

    private Mono<Void> reply(Decided d, String text, boolean transfer) {
      Mono<Void> played = speakReply(text, report(d, text));
      if (!transfer) {
        return played.then(Mono.defer(this::awaitCaller));
      }
      closing.set(true);
      return played.then(
          Mono.fromRunnable(
              () -> {
                outcome.set(Outcome.TRANSFER);
                log.info("call {}: transfer requested ({})", call.id(), d.decision());
                // a key press carries no words: the agent gets the caller's last question
                TransferContext context = Objects.requireNonNull(lastQuestion.get());
                call.transfer(
                    new TransferRequest(
                        call.id(),
                        context.question(),
                        context.entryId(),
                        d.decision() == Decision.NONE
                            ? TransferRequest.Reason.NOT_UNDERSTOOD
                            : d.heard().isEmpty()
                                ? TransferRequest.Reason.PRESSED_ZERO
                                : TransferRequest.Reason.ASKED_FOR_HUMAN));
              }));
    }
  }

  /**
   * The recognition of one utterance, fed while the caller speaks. The segmenter's events feed it
   * from one thread at a time; the call's session takes the recognitions one after another, each
   * once it is admitted (at once, or for speech that began during a reply, at the barge-in or at
   * its end, so the reply's echo is never decoded). Its audio is held until the session takes it,
   * at most {@link #MAX_AUDIO} of it (the segmenter's largest utterance is shorter), so a stuck
   * session costs bounded memory.
   */
  private static final class Hearing {
    /** More than the longest utterance the segmenter can make (5 min plus pre-roll). */
    static final Duration MAX_AUDIO = Duration.ofMinutes(5).plusSeconds(10);

    private final String callId;
    private final Sinks.Many<PcmAudio> frames =
        Sinks.many().unicast().onBackpressureBuffer(Queues.<PcmAudio>unbounded(64).get());
    private final Sinks.One<Transcript> transcript = Sinks.one();
    private final Sinks.One<Boolean> cancelled = Sinks.one();
    private final Sinks.One<Boolean> admitted = Sinks.one();
    private final AtomicBoolean admission = new AtomicBoolean();
    private volatile boolean dropped;
    private long fed;

    Hearing(String callId, boolean admitted) {
      this.callId = callId;
      if (admitted) {
        admit();
      }
    }

    /** Lets the session decode this utterance. Any thread, any number of times. */
    void admit() {
      if (admission.compareAndSet(false, true)) {
        admitted.tryEmitValue(true);
      }
    }

    /** Feeds a piece of the utterance. */
    void feed(PcmAudio piece) {
      if (dropped) {
        return;
      }
      if (fed + piece.length() > MAX_AUDIO.toSeconds() * piece.sampleRate()) {
        cancel("longer than " + MAX_AUDIO);
        return;
      }
      fed += piece.length();
      frames.tryEmitNext(piece);
    }

    /**
     * Ends the utterance: feeds what of {@code whole} was not streamed (all of it when nothing was)
     * and completes the audio.
     *
     * @return the transcript, once the session has finalised it
     */
    Mono<Transcript> end(PcmAudio whole) {
      if (fed < whole.length()) {
        short[] rest = new short[(int) (whole.length() - fed)];
        System.arraycopy(whole.samples(), (int) fed, rest, 0, rest.length);
        feed(PcmAudio.of(rest, whole.sampleRate()));
      }
      frames.tryEmitComplete();
      admit();
      return transcript.asMono();
    }

    /** Drops the utterance: its recognition stops, or never starts. */
    void cancel(String why) {
      if (dropped) {
        return;
      }
      dropped = true;
      log.debug("call {}: recognition of an utterance dropped ({})", callId, why);
      cancelled.tryEmitValue(true);
      frames.tryEmitComplete();
      transcript.tryEmitError(new CancellationException("utterance dropped: " + why));
    }

    /** Recognises the utterance with the call's session; never fails (the transcript does). */
    Mono<Void> run(RecognitionSession session) {
      return admitted
          .asMono()
          .then(
              Mono.defer(
                  () -> dropped ? Mono.<Transcript>empty() : session.recognize(frames.asFlux())))
          .takeUntilOther(cancelled.asMono())
          .doOnNext(transcript::tryEmitValue)
          .doOnError(transcript::tryEmitError)
          .onErrorResume(e -> Mono.empty())
          // cancelled, dropped or no transcript: whoever waits for it is not left hanging
          .doFinally(
              signal ->
                  transcript.tryEmitError(
                      new CancellationException("no transcript (" + signal + ")")))
          .then();
    }
  }

  /** What an agent is told about the caller's question. */
  private record TransferContext(String question, @Nullable String entryId) {}

  private record Decided(
      String heard,
      Decision decision,
      @Nullable Answer answer,
      Instant speechEnded,
      Instant recognised,
      Instant decided) {}
}
