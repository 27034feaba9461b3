package voicecall.tts;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import voicecall.tts.audio.PcmAudio;

/**
 * Tries synthesisers in order: each that speaks the language gets its turn with a timeout, and its
 * audio must pass {@link SpeechCheck}; a failure, hang, crash or implausible audio moves on to the
 * next with a log line. When all fail, the error lists every reason.
 */
final class FallbackSynthesizer implements Synthesizer {

  private static final Logger LOG = LoggerFactory.getLogger(FallbackSynthesizer.class);

  private final List<Synthesizer> chain;
  private final Duration timeout;

  FallbackSynthesizer(List<Synthesizer> chain, Duration timeout) {
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("at least one synthesiser is needed");
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("synthesis timeout must be positive, was " + timeout);
    }
    this.chain = List.copyOf(chain);
    this.timeout = timeout;
  }

  @Override
  public String name() {
    List<String> names = new ArrayList<>();
    chain.forEach(s -> names.add(s.name()));
    return String.join(" > ", names);
  }

  @Override
  public boolean supports(Language language) {
    return chain.stream().anyMatch(s -> s.supports(language));
  }

  @Override
  public Mono<PcmAudio> synthesize(String text, Voice voice) {
    if (!SpeechText.isSpeakable(text)) {
      return Mono.error(
          new SynthesisException("nothing to say in '" + text + "' (no letters or digits)"));
    }
    return Mono.defer(() -> attempt(0, text, voice, new ArrayList<>()));
  }

  private Mono<PcmAudio> attempt(int index, String text, Voice voice, List<String> failures) {
    if (index == chain.size()) {
      return Mono.error(
          new SynthesisException(
              "no synthesiser could speak '"
                  + text
                  + "' with "
                  + voice
                  + ": "
                  + String.join("; ", failures)));
    }
    Synthesizer synthesizer = chain.get(index);
    if (!synthesizer.supports(voice.language())) {
      failures.add(synthesizer.name() + ": does not speak " + voice.language());
      return attempt(index + 1, text, voice, failures);
    }
    return Mono.defer(() -> synthesizer.synthesize(text, voice))
        .timeout(timeout)
        .switchIfEmpty(Mono.error(() -> new SynthesisException("returned no audio")))
        .flatMap(
            audio -> {
              String problem = SpeechCheck.problem(audio, text, voice.language());
              return problem == null
                  ? Mono.just(audio)
                  : Mono.error(new SynthesisException(problem));
            })
        .onErrorResume(
            e -> {
              String reason = synthesizer.name() + ": " + describe(e);
              failures.add(reason);
              if (index + 1 < chain.size()) {
                LOG.warn(
                    "synthesis fell back from {} to {} for voice={} text='{}': {}",
                    synthesizer.name(),
                    chain.get(index + 1).name(),
                    voice,
                    text,
                    describe(e));
              }
              return attempt(index + 1, text, voice, failures);
            });
  }

  private String describe(Throwable e) {
    if (e instanceof TimeoutException) {
      return "no audio within " + timeout.toMillis() + " ms";
    }
    String message = e.getMessage();
    return message == null ? e.getClass().getSimpleName() : message;
  }

  @Override
  public Mono<Void> warmUp() {
    return Flux.fromIterable(chain).concatMap(Synthesizer::warmUp).then();
  }

  @Override
  public void close() {
    chain.forEach(Synthesizer::close);
  }
}
