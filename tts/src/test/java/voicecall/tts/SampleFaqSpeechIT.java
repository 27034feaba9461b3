package voicecall.tts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import voicecall.tts.audio.PcmAudio;

/**
 * Done-when test of the speech output: every answer of a small telecom FAQ, in Korean and English,
 * is spoken by the real synthesisers (FreeTTS for English with espeak-ng behind it, espeak-ng for
 * Korean) through the ordered parallel synthesis at the telephony rate, and each sentence's audio
 * is real speech, of a plausible length, in reading order.
 */
class SampleFaqSpeechIT {

  private static final List<String> KOREAN_ANSWERS =
      List.of(
          "요금제 변경은 고객센터 앱에서 언제든지 하실 수 있습니다. 변경된 요금제는 다음 달 1일부터 적용됩니다.",
          "데이터를 모두 사용하시면 속도가 1Mbps로 제한됩니다. 추가 데이터는 1GB당 5,500원에 구매하실 수 있어요.",
          "해외 로밍은 출국 전에 신청하시면 하루 11,000원에 데이터를 무제한으로 쓰실 수 있습니다. 현지에서도 114번으로 신청하실 수 있죠.",
          "분실 신고는 24시간 접수됩니다. 010-1234-5678로 전화하시거나 가까운 매장을 방문해 주세요.",
          "이번 달 청구 금액은 45,300원이고 납부일은 3월 25일입니다. 자동이체를 신청하시면 1% 할인을 받으실 수 있어요.");

  private static final List<String> ENGLISH_ANSWERS =
      List.of(
          "You can change your plan at any time in our app. The new plan starts on the 1st of"
              + " next month.",
          "When your data runs out, your speed is limited to 1 Mbps. Extra data costs $5 per"
              + " GB.",
          "International roaming costs $10 a day for unlimited data. You can turn it on before"
              + " you leave or from abroad.",
          "To report a lost phone, call 1-800-555-0199 at any time, 24 hours a day. We will"
              + " block the line right away.",
          "Your bill this month is $45.30 and it is due on March 25. Paying by autopay saves 5%.");

  private static final Synthesizer FREETTS = Synthesizers.freeTts(2);
  private static final Synthesizer ESPEAK = Synthesizers.espeakNg(2);
  private static final Synthesizer CHAIN =
      Synthesizers.withFallback(Duration.ofSeconds(10), List.of(FREETTS, ESPEAK));
  private static final OrderedSynthesis SYNTHESIS =
      OrderedSynthesis.builder(CHAIN).concurrency(2).sampleRate(8_000).build();

  @AfterAll
  static void close() {
    CHAIN.close();
  }

  static List<String> korean() {
    return KOREAN_ANSWERS;
  }

  static List<String> english() {
    return ENGLISH_ANSWERS;
  }

  @ParameterizedTest
  @MethodSource("korean")
  void koreanAnswerIsSpokenSentenceBySentenceInOrder(String answer) {
    EspeakInstalled.assume();
    assertSpokenInOrder(answer, Language.KOREAN);
  }

  @ParameterizedTest
  @MethodSource("english")
  void englishAnswerIsSpokenSentenceBySentenceInOrder(String answer) {
    assertSpokenInOrder(answer, Language.ENGLISH);
  }

  @Test
  void blockHoundIsWatchingThisJvm() {
    assertThatThrownBy(
            () ->
                Mono.fromCallable(
                        () -> {
                          Thread.sleep(1);
                          return 1;
                        })
                    .subscribeOn(Schedulers.parallel())
                    .block(Duration.ofSeconds(5)))
        .hasMessageContaining("Blocking call");
  }

  @Test
  void speakingAndBargingInFromNonBlockingThreadsNeverBlocksThem() {
    EspeakInstalled.assume();
    // Subscribed on Reactor's non-blocking threads, with the reply cancelled part-way by a timer
    // on those threads: BlockHound fails the test if a process start, a FreeTTS call or a kill
    // ran there.
    List<PcmAudio> korean =
        Flux.defer(() -> SYNTHESIS.sentences(KOREAN_ANSWERS.get(2), Voice.of(Language.KOREAN)))
            .subscribeOn(Schedulers.parallel())
            .collectList()
            .blockOptional(Duration.ofMinutes(1))
            .orElseThrow();
    assertThat(korean)
        .hasSameSizeAs(SentenceSplitter.create().split(KOREAN_ANSWERS.get(2), Language.KOREAN));
    List<PcmAudio> english =
        Flux.defer(() -> SYNTHESIS.frames(ENGLISH_ANSWERS.get(0), Voice.of(Language.ENGLISH)))
            .subscribeOn(Schedulers.parallel())
            .collectList()
            .blockOptional(Duration.ofMinutes(1))
            .orElseThrow();
    assertThat(english).isNotEmpty().allMatch(frame -> frame.length() == 160);
    int wholeReply =
        Flux.defer(() -> SYNTHESIS.frames(KOREAN_ANSWERS.get(4), Voice.of(Language.KOREAN)))
            .subscribeOn(Schedulers.parallel())
            .count()
            .blockOptional(Duration.ofMinutes(1))
            .orElseThrow()
            .intValue();
    List<PcmAudio> bargedIn =
        Flux.defer(() -> SYNTHESIS.frames(KOREAN_ANSWERS.get(4), Voice.of(Language.KOREAN)))
            .subscribeOn(Schedulers.parallel())
            .take(Duration.ofMillis(5), Schedulers.parallel())
            .collectList()
            .blockOptional(Duration.ofMinutes(1))
            .orElseThrow();
    assertThat(bargedIn.size()).isLessThan(wholeReply);
  }

  private static void assertSpokenInOrder(String answer, Language language) {
    Voice voice = Voice.of(language);
    List<String> spoken = new ArrayList<>();
    for (String sentence : SentenceSplitter.create().split(answer, language)) {
      spoken.add(SpeechText.normalise(sentence, language));
    }
    assertThat(spoken).hasSizeGreaterThanOrEqualTo(2);

    List<PcmAudio> audio =
        SYNTHESIS
            .sentences(answer, voice)
            .collectList()
            .blockOptional(Duration.ofMinutes(1))
            .orElseThrow();

    assertThat(audio).hasSameSizeAs(spoken);
    for (int i = 0; i < spoken.size(); i++) {
      String text = spoken.get(i);
      PcmAudio sentence = audio.get(i);
      assertThat(sentence.sampleRate()).isEqualTo(8_000);
      assertThat(SpeechCheck.problem(sentence, text, language))
          .as("sentence %d '%s'", i, text)
          .isNull();
      // Speech, not a beep: at ordinary speaking rates (Korean about 4 to 12 syllables a second,
      // English about 8 to 25 letters a second), plus pauses.
      long units = text.codePoints().filter(Character::isLetterOrDigit).count();
      double seconds = sentence.duration().toMillis() / 1000.0;
      double perSecond = units / seconds;
      if (language == Language.KOREAN) {
        assertThat(perSecond).as("syllables per second of '%s'", text).isBetween(3.0, 14.0);
      } else {
        assertThat(perSecond).as("letters per second of '%s'", text).isBetween(6.0, 25.0);
      }
      assertThat(sentence.rmsDbfs()).as("level of '%s'", text).isGreaterThan(-35.0);
      // In order: the i-th audio is the i-th sentence, synthesised on its own the same way.
      PcmAudio alone =
          Objects.requireNonNull(CHAIN.synthesize(text, voice).block(Duration.ofSeconds(30)))
              .resampleTo(8_000)
              .trimSilence(-50, Duration.ofMillis(30));
      assertThat(sentence).as("audio %d is sentence '%s'", i, text).isEqualTo(alone);
    }
  }
}
