package voicecall.app.speech;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;
import voicecall.tts.Language;
import voicecall.tts.Synthesizer;
import voicecall.tts.Voice;
import voicecall.tts.audio.PcmAudio;

/**
 * Times each sentence one synthesiser is asked for, as {@code voicecall.tts.synthesis} tagged with
 * the synthesiser, the language and the outcome ({@code success}, {@code error}, or {@code
 * cancelled} when the fallback chain's timeout or a barge-in gave up on it).
 */
final class TimedSynthesizer implements Synthesizer {

  static final String METRIC = "voicecall.tts.synthesis";

  private final Synthesizer delegate;
  private final MeterRegistry registry;

  TimedSynthesizer(Synthesizer delegate, MeterRegistry registry) {
    this.delegate = delegate;
    this.registry = registry;
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public boolean supports(Language language) {
    return delegate.supports(language);
  }

  @Override
  public Mono<PcmAudio> synthesize(String text, Voice voice) {
    return Mono.defer(
        () -> {
          long started = System.nanoTime();
          return delegate
              .synthesize(text, voice)
              .doFinally(
                  signal ->
                      timer(voice.language(), outcome(signal))
                          .record(System.nanoTime() - started, TimeUnit.NANOSECONDS));
        });
  }

  private static String outcome(SignalType signal) {
    return switch (signal) {
      case ON_ERROR -> "error";
      case CANCEL -> "cancelled";
      default -> "success";
    };
  }

  private Timer timer(Language language, String outcome) {
    return Timer.builder(METRIC)
        .description("Time one synthesiser took for one sentence")
        .tag("synthesizer", delegate.name())
        .tag("language", language.tag())
        .tag("outcome", outcome)
        .register(registry);
  }

  @Override
  public Mono<Void> warmUp() {
    return delegate.warmUp();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
