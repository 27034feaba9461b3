package voicecall.app.speech;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import reactor.core.publisher.Mono;
import voicecall.app.config.VoiceCallProperties;
import voicecall.tts.Language;
import voicecall.tts.Synthesizer;
import voicecall.tts.Voice;
import voicecall.tts.audio.PcmAudio;

/**
 * A scripted synthesiser for unit tests of the wiring: a 440 Hz tone of 50 ms per character, an
 * error for text containing {@code FAIL}, and no answer ever for text containing {@code HANG} (the
 * latch counts down when such a sentence starts, and cancellations are recorded).
 */
final class FakeSpeech implements Synthesizer {

  final Set<String> cancelled = ConcurrentHashMap.newKeySet();
  final CountDownLatch hanging = new CountDownLatch(1);
  final Set<String> spoken = ConcurrentHashMap.newKeySet();

  static VoiceCallProperties.Prompts prompts() {
    return new VoiceCallProperties.Prompts(
        new VoiceCallProperties.PromptSet(
            "안녕하세요.",
            "다시 말씀해 주세요.",
            "다른 말로 말씀해 주세요.",
            "연결합니다.",
            "감사합니다.",
            "더 있으신가요?",
            "듣고 계신가요?",
            "{1} 아니면 {2}?",
            "{1}?",
            "1번 또는 2번.",
            "네 또는 아니요.",
            "번호를 누르세요.",
            "{digit}번은 {label}.",
            "0번은 상담원."),
        new VoiceCallProperties.PromptSet(
            "Hello.",
            "Say more.",
            "Say it another way.",
            "Hold on.",
            "Bye.",
            "Anything else?",
            "Still there?",
            "{1} or {2}?",
            "{1}?",
            "One or two.",
            "Yes or no.",
            "Choose.",
            "Press {digit} for {label}.",
            "Zero for agent."));
  }

  @Override
  public String name() {
    return "fake";
  }

  @Override
  public boolean supports(Language language) {
    return true;
  }

  @Override
  public Mono<PcmAudio> synthesize(String text, Voice voice) {
    if (text.contains("HANG")) {
      return Mono.<PcmAudio>never()
          .doOnSubscribe(s -> hanging.countDown())
          .doOnCancel(() -> cancelled.add(text));
    }
    if (text.contains("FAIL")) {
      return Mono.error(new IllegalStateException("scripted failure"));
    }
    return Mono.fromCallable(
        () -> {
          spoken.add(text);
          return tone(Duration.ofMillis(50L * text.length()));
        });
  }

  static PcmAudio tone(Duration duration) {
    int rate = 16_000;
    short[] samples = new short[(int) (rate * duration.toMillis() / 1000)];
    for (int i = 0; i < samples.length; i++) {
      samples[i] = (short) (8_000 * Math.sin(2 * Math.PI * 440 * i / rate));
    }
    return PcmAudio.of(samples, rate);
  }
}
