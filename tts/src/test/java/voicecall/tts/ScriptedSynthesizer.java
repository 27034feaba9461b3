package voicecall.tts;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Mono;
import voicecall.tts.audio.PcmAudio;

/**
 * A stand-in synthesiser for testing the orchestration (ordering, concurrency, cancellation,
 * caching): it "synthesises" after a scripted delay on Reactor's timer, so virtual time controls
 * it, and returns a 16 kHz tone whose length is 10 ms per character of the text, so the order of
 * the audio can be checked. It counts what it was asked to do.
 */
final class ScriptedSynthesizer implements Synthesizer {

  static final int RATE = 16_000;

  final AtomicInteger started = new AtomicInteger();
  final AtomicInteger running = new AtomicInteger();
  final AtomicInteger maxRunning = new AtomicInteger();
  final AtomicInteger cancelled = new AtomicInteger();
  private final Map<String, Duration> delays;
  private final Duration defaultDelay;
  private final Set<String> failing;

  ScriptedSynthesizer(Map<String, Duration> delays, Duration defaultDelay, Set<String> failing) {
    this.delays = Map.copyOf(delays);
    this.defaultDelay = defaultDelay;
    this.failing = Set.copyOf(failing);
  }

  static ScriptedSynthesizer instant() {
    return new ScriptedSynthesizer(Map.of(), Duration.ZERO, Set.of());
  }

  /** Output samples at {@code rate} for a text: 10 ms per character. */
  static int samplesFor(String text, int rate) {
    return text.length() * rate / 100;
  }

  static PcmAudio tone(int samples, int rate) {
    short[] out = new short[samples];
    for (int i = 0; i < samples; i++) {
      out[i] = (short) (10_000 * Math.sin(2 * Math.PI * 300 * i / rate));
    }
    return PcmAudio.of(out, rate);
  }

  @Override
  public String name() {
    return "scripted";
  }

  @Override
  public boolean supports(Language language) {
    return language == Language.ENGLISH;
  }

  @Override
  public Mono<PcmAudio> synthesize(String text, Voice voice) {
    return Mono.defer(
        () -> {
          started.incrementAndGet();
          maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
          Mono<Long> wait =
              Duration.ZERO.equals(delays.getOrDefault(text, defaultDelay))
                  ? Mono.just(0L)
                  : Mono.delay(delays.getOrDefault(text, defaultDelay));
          return wait.flatMap(
                  x ->
                      failing.contains(text)
                          ? Mono.<PcmAudio>error(
                              new SynthesisException("scripted failure: " + text))
                          : Mono.just(tone(samplesFor(text, RATE), RATE)))
              // counted down before the result travels on, so the next start is not overlapped
              .doOnSuccess(audio -> running.decrementAndGet())
              .doOnError(e -> running.decrementAndGet())
              .doOnCancel(
                  () -> {
                    running.decrementAndGet();
                    cancelled.incrementAndGet();
                  });
        });
  }
}
