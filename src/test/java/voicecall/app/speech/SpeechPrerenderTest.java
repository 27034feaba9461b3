package voicecall.app.speech;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import voicecall.rag.Entry;
import voicecall.rag.KnowledgeBase;
import voicecall.tts.AudioCache;
import voicecall.tts.AudioCacheStats;
import voicecall.tts.Language;
import voicecall.tts.OrderedSynthesis;
import voicecall.tts.Voice;
import voicecall.tts.audio.PcmAudio;

class SpeechPrerenderTest {

  private final Sinks.Many<KnowledgeBase> activations = Sinks.many().replay().latest();
  private final FakeSpeech speech = new FakeSpeech();
  private final AudioCache cache = AudioCache.create(16L << 20);
  private final OrderedSynthesis synthesis =
      OrderedSynthesis.builder(speech).cache(cache).sampleRate(8_000).build();
  private final Scheduler scheduler = Schedulers.newBoundedElastic(1, 16, "test-prerender");
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final SpeechPrerender prerender = prerenderer(synthesis, cache, true);

  @AfterEach
  void stop() {
    prerender.stop();
    scheduler.dispose();
  }

  @Test
  void anActivatedVersionsAnswersAndPromptsEndUpInTheCache() {
    prerender.start();
    activations.tryEmitNext(version(1, "Your bill is due on the first.", "요금은 매달 일 일에 냅니다."));

    PrerenderStatus done = await(1);

    assertThat(done.state()).isEqualTo(PrerenderStatus.State.DONE);
    assertThat(done.answers()).isEqualTo(2);
    assertThat(done.prompts()).isEqualTo(22);
    assertThat(done.rendered()).isEqualTo(done.sentences()).isEqualTo(24);
    assertThat(cached("Your bill is due on the first.", Language.ENGLISH)).isTrue();
    assertThat(cached("요금은 매달 일 일에 냅니다.", Language.KOREAN)).isTrue();
    assertThat(cached("Say it another way.", Language.ENGLISH)).isTrue();
    assertThat(cached("다른 말로 말씀해 주세요.", Language.KOREAN)).isTrue();
    assertThat(
            registry.get("voicecall.tts.prerender.runs").tag("outcome", "done").counter().count())
        .isEqualTo(1);
    assertThat(
            registry
                .get("voicecall.tts.prerender.sentences")
                .tag("result", "rendered")
                .counter()
                .count())
        .isEqualTo(24);
  }

  @Test
  void aNewerActivationCancelsTheRunningOne() throws InterruptedException {
    List<PrerenderStatus> history = new CopyOnWriteArrayList<>();
    prerender.statuses().subscribe(history::add);
    prerender.start();
    activations.tryEmitNext(version(1, "This one will HANG forever."));
    assertThat(speech.hanging.await(10, TimeUnit.SECONDS)).isTrue();

    activations.tryEmitNext(version(2, "The second version is short."));
    PrerenderStatus second = await(2);

    assertThat(second.state()).isEqualTo(PrerenderStatus.State.DONE);
    assertThat(speech.cancelled).containsExactly("This one will HANG forever.");
    assertThat(cached("The second version is short.", Language.ENGLISH)).isTrue();
    assertThat(
            registry
                .get("voicecall.tts.prerender.runs")
                .tag("outcome", "superseded")
                .counter()
                .count())
        .isEqualTo(1);
    assertThat(history)
        .extracting(PrerenderStatus::version, PrerenderStatus::state)
        .containsExactly(
            tuple(1L, PrerenderStatus.State.RUNNING),
            tuple(1L, PrerenderStatus.State.SUPERSEDED),
            tuple(2L, PrerenderStatus.State.RUNNING),
            tuple(2L, PrerenderStatus.State.DONE));
  }

  @Test
  void aSentenceThatFailsIsReportedAndTheRestIsRendered() {
    prerender.start();
    activations.tryEmitNext(version(3, "This will FAIL. This will not."));

    PrerenderStatus done = await(3);

    assertThat(done.state()).isEqualTo(PrerenderStatus.State.DONE);
    assertThat(done.failed()).isEqualTo(1);
    assertThat(done.failures()).singleElement().asString().contains("FAIL");
    assertThat(cached("This will not.", Language.ENGLISH)).isTrue();
  }

  @Test
  void stoppingCancelsTheRunAndSaysSo() throws InterruptedException {
    prerender.start();
    activations.tryEmitNext(version(4, "Stop while this will HANG."));
    assertThat(speech.hanging.await(10, TimeUnit.SECONDS)).isTrue();

    prerender.stop();

    assertThat(prerender.latest())
        .extracting(PrerenderStatus::state)
        .isEqualTo(PrerenderStatus.State.CANCELLED);
    assertThat(prerender.isRunning()).isFalse();
    // The cancel reaches the synthesis on the worker that subscribed it, a moment later.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (speech.cancelled.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(speech.cancelled).containsExactly("Stop while this will HANG.");
  }

  @Test
  void aCacheTooSmallForTheVersionIsReported() {
    // 12 sentences of about a second each at 8 kHz (16 KB per second) do not fit in 64 KB.
    AudioCache small = AudioCache.create(64 * 1024);
    SpeechPrerender tight =
        prerenderer(
            OrderedSynthesis.builder(speech).cache(small).sampleRate(8_000).build(), small, true);
    tight.start();
    activations.tryEmitNext(
        version(6, "A first answer of some length.", "A second answer, also long."));

    PrerenderStatus done =
        Objects.requireNonNull(
            tight.statuses().filter(PrerenderStatus::finished).blockFirst(Duration.ofSeconds(20)));
    tight.stop();

    assertThat(done.state()).isEqualTo(PrerenderStatus.State.DONE);
    assertThat(done.evicted()).isPositive();
    assertThat(done.evicted()).isEqualTo(small.stats().evictions());
  }

  @Test
  void anAmpleCacheEvictsNothing() {
    prerender.start();
    activations.tryEmitNext(version(7, "Short."));

    assertThat(await(7).evicted()).isZero();
  }

  @Test
  void disabledPrerenderingRendersNothing() {
    SpeechPrerender off = prerenderer(synthesis, cache, false);
    off.start();
    activations.tryEmitNext(version(5, "Nobody renders this."));

    assertThat(off.statuses().take(Duration.ofMillis(300)).collectList().block()).isEmpty();
    assertThat(cached("Nobody renders this.", Language.ENGLISH)).isFalse();
    off.stop();
  }

  private SpeechPrerender prerenderer(
      OrderedSynthesis through, AudioCache watched, boolean enabled) {
    return new SpeechPrerender(
        activations.asFlux(),
        speech,
        through,
        watched,
        FakeSpeech.prompts(),
        scheduler,
        registry,
        enabled);
  }

  private PrerenderStatus await(long version) {
    PrerenderStatus status =
        prerender
            .statuses()
            .filter(s -> s.version() == version && s.finished())
            .blockFirst(Duration.ofSeconds(20));
    return Objects.requireNonNull(status, "no finished status for version " + version);
  }

  /** Whether every sentence of the text comes from the cache (speaking it counts hits). */
  private boolean cached(String text, Language language) {
    AudioCacheStats before = cache.stats();
    List<PcmAudio> audio =
        synthesis.sentences(text, Voice.of(language)).collectList().block(Duration.ofSeconds(10));
    AudioCacheStats after = cache.stats();
    return audio != null
        && !audio.isEmpty()
        && after.hits() - before.hits() == audio.size()
        && after.misses() == before.misses();
  }

  private static KnowledgeBase version(long version, String... answers) {
    Entry[] entries = new Entry[answers.length];
    for (int i = 0; i < answers.length; i++) {
      String answer = answers[i];
      boolean korean = answer.codePoints().anyMatch(c -> c >= 0xAC00 && c <= 0xD7A3);
      entries[i] =
          new Entry(
              "e" + i,
              List.of(korean ? "질문 " + i : "Question " + i),
              answer,
              List.of(),
              korean ? voicecall.rag.Language.KO : voicecall.rag.Language.EN);
    }
    return KnowledgeBase.build(version, List.of(entries));
  }
}
