package voicecall.engine.stt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import voicecall.rag.Alternative;
import voicecall.rag.Answer;
import voicecall.rag.Decision;
import voicecall.rag.DecisionPolicy;
import voicecall.rag.KnowledgeBase;
import voicecall.rag.KnowledgeIndex;
import voicecall.rag.Language;

class SpokenQuestionPolicyTest {

  private static final String QUESTION = "how much data is left on my plan";
  private static final String EXPECTED = "en-data-balance";

  private final KnowledgeIndex index =
      new KnowledgeIndex(KnowledgeBase.build(3, EvalSet.allEntries()), DecisionPolicy.DEFAULT, 0);
  private final SpokenQuestionPolicy policy = SpokenQuestionPolicy.DEFAULT;

  private static Transcript heard(String text, double wordConfidence, String... alternatives) {
    List<WordHypothesis> words = new ArrayList<>();
    int at = 0;
    for (String w : Words.of(text)) {
      words.add(
          new WordHypothesis(
              w, Duration.ofMillis(at), Duration.ofMillis(at + 300), wordConfidence));
      at += 300;
    }
    return new Transcript(
        text, -1000, 0.01, words, List.of(alternatives), Duration.ofMillis(at), Duration.ZERO);
  }

  /** The question heard on a clean line, with two n-best alternatives that land on it too. */
  private static Transcript withAgreeingAlternatives(double wordConfidence) {
    return heard(
        QUESTION,
        wordConfidence,
        "how much data is left on the plan",
        "how much data is left my plan");
  }

  private Answer ask(Transcript t) {
    return policy.ask(index, t, Language.EN);
  }

  @Test
  void theQuestionItselfIsAnAnswerOfTheIndex() {
    Answer plain = index.ask(QUESTION, Language.EN);
    assertThat(plain.decision()).isEqualTo(Decision.ANSWER);
    assertThat(plain.entryId()).isEqualTo(EXPECTED);
  }

  @Test
  void confidentWordsAndAgreeingAlternativesKeepTheAnswer() {
    Answer a =
        ask(
            heard(
                QUESTION,
                0.9,
                "how much data is left on the plan",
                "how much data is left my plan"));
    assertThat(a.decision()).isEqualTo(Decision.ANSWER);
    assertThat(a).isEqualTo(index.ask(QUESTION, Language.EN));
  }

  @Test
  void doubtfulWordsTurnTheAnswerIntoAConfirmationOfTheSameEntry() {
    Answer a =
        ask(
            heard(
                QUESTION,
                0.3,
                "how much data is left on the plan",
                "how much data is left my plan"));
    assertThat(a.decision()).isEqualTo(Decision.CLARIFY);
    assertThat(a.entryId()).isEqualTo(EXPECTED);
    assertThat(a.answer()).isEqualTo(index.ask(QUESTION, Language.EN).answer());
  }

  @Test
  void alternativesThatLandElsewhereTurnTheAnswerIntoAConfirmation() {
    Answer a = ask(heard(QUESTION, 0.9, "what does roaming cost", "how expensive is roaming"));
    assertThat(a.decision()).isEqualTo(Decision.CLARIFY);
    assertThat(a.entryId()).isEqualTo(EXPECTED);
  }

  @Test
  void oneDisagreeingAlternativeOfTwoIsNotEnough() {
    Answer a = ask(heard(QUESTION, 0.9, "how much data is left on the plan", "roaming cost"));
    assertThat(a.decision()).isEqualTo(Decision.CLARIFY);
  }

  @Test
  void aGuessFromVeryDoubtfulWordsIsAskedAgainKeepingTheGuessAsAnAlternative() {
    Answer a = ask(heard(QUESTION, 0.1, "what does roaming cost", "how expensive is roaming"));
    assertThat(a.decision()).isEqualTo(Decision.NONE);
    assertThat(a.entryId()).isNull();
    assertThat(a.alternatives()).first().extracting(Alternative::entryId).isEqualTo(EXPECTED);
  }

  @Test
  void veryDoubtfulWordsWithAgreeingAlternativesStillConfirm() {
    Answer a =
        ask(
            heard(
                QUESTION,
                0.1,
                "how much data is left on the plan",
                "how much data is left my plan"));
    assertThat(a.decision()).isEqualTo(Decision.CLARIFY);
    assertThat(a.entryId()).isEqualTo(EXPECTED);
  }

  @Test
  void aTranscriptWithoutWordsOrAlternativesIsDecidedByTheIndexAlone() {
    Transcript remote =
        new Transcript(
            QUESTION, 0, 0.9, List.of(), List.of(), Duration.ofSeconds(2), Duration.ZERO);
    assertThat(ask(remote)).isEqualTo(index.ask(QUESTION, Language.EN));
  }

  @Test
  void emptyTranscriptIsNoneWithoutCandidates() {
    Answer a = ask(heard("", 0.9));
    assertThat(a.decision()).isEqualTo(Decision.NONE);
    assertThat(a.alternatives()).isEmpty();
    assertThat(a.version()).isEqualTo(3);
  }

  @Test
  void humanRequestsPassUnchanged() {
    Answer a = ask(heard("i want to talk to a real person", 0.1, "roaming cost"));
    assertThat(a.decision()).isEqualTo(Decision.HUMAN);
  }

  @Test
  void aMonologueLongerThanTheIndexTakesIsAskedByItsBeginning() {
    StringBuilder monologue = new StringBuilder(QUESTION);
    while (monologue.length() <= KnowledgeIndex.MAX_QUESTION_CHARS) {
      monologue.append(" i mean ").append(QUESTION);
    }
    Answer a = ask(heard(monologue.toString(), 0.9));
    assertThat(a.entryId()).isEqualTo(EXPECTED);
    assertThat(a)
        .isEqualTo(index.ask(SpokenQuestionPolicy.questionOf(monologue.toString()), Language.EN));
    assertThat(SpokenQuestionPolicy.questionOf(monologue.toString()))
        .hasSizeLessThanOrEqualTo(KnowledgeIndex.MAX_QUESTION_CHARS)
        .startsWith(QUESTION)
        .doesNotEndWith(" ");
    assertThat(monologue.toString())
        .startsWith(SpokenQuestionPolicy.questionOf(monologue.toString()) + " ");
  }

  @Test
  void aNoisyLineNeedsMoreConfidentWordsForADirectAnswer() {
    double between = (policy.answerAt() + policy.noisyLineAnswerAt()) / 2;
    assertThat(policy.noisyLineAnswerAt()).isGreaterThan(policy.answerAt());
    Transcript clean = withAgreeingAlternatives(between);
    assertThat(clean.noisyLine()).isFalse();
    assertThat(ask(clean).decision()).isEqualTo(Decision.ANSWER);

    Transcript noisy = clean.onNoisyLine();
    assertThat(noisy.noisyLine()).isTrue();
    assertThat(noisy.text()).isEqualTo(clean.text());
    Answer a = ask(noisy);
    assertThat(a.decision()).isEqualTo(Decision.CLARIFY);
    assertThat(a.entryId()).isEqualTo(EXPECTED);

    Transcript sure =
        withAgreeingAlternatives(Math.min(1, policy.noisyLineAnswerAt() + 0.01)).onNoisyLine();
    assertThat(ask(sure).decision()).isEqualTo(Decision.ANSWER);
  }

  @Test
  void decideFlagsAConfirmationThatOnlyTheNoisyLineThresholdAsked() {
    double between = (policy.answerAt() + policy.noisyLineAnswerAt()) / 2;
    Transcript clean = withAgreeingAlternatives(between);

    SpokenQuestionPolicy.Decided onClean = policy.decide(index, clean, Language.EN);
    assertThat(onClean.answer().decision()).isEqualTo(Decision.ANSWER);
    assertThat(onClean.noisyLineConfirmation()).isFalse();

    SpokenQuestionPolicy.Decided onNoisy = policy.decide(index, clean.onNoisyLine(), Language.EN);
    assertThat(onNoisy.answer().decision()).isEqualTo(Decision.CLARIFY);
    assertThat(onNoisy.answer().entryId()).isEqualTo(EXPECTED);
    assertThat(onNoisy.noisyLineConfirmation()).isTrue();
    assertThat(onNoisy.answer()).isEqualTo(ask(clean.onNoisyLine()));
  }

  @Test
  void aConfirmationThatACleanLineWouldAlsoAskIsNotANoisyLineConfirmation() {
    // too doubtful for answerAt as well
    SpokenQuestionPolicy.Decided doubtful =
        policy.decide(index, withAgreeingAlternatives(0.3).onNoisyLine(), Language.EN);
    assertThat(doubtful.answer().decision()).isEqualTo(Decision.CLARIFY);
    assertThat(doubtful.noisyLineConfirmation()).isFalse();
    // confident words, but the alternatives land elsewhere
    SpokenQuestionPolicy.Decided disagreeing =
        policy.decide(
            index,
            heard(QUESTION, 0.5, "what does roaming cost", "how expensive is roaming")
                .onNoisyLine(),
            Language.EN);
    assertThat(disagreeing.answer().decision()).isEqualTo(Decision.CLARIFY);
    assertThat(disagreeing.noisyLineConfirmation()).isFalse();
    // sure enough for the noisy line
    SpokenQuestionPolicy.Decided sure =
        policy.decide(index, withAgreeingAlternatives(0.9).onNoisyLine(), Language.EN);
    assertThat(sure.answer().decision()).isEqualTo(Decision.ANSWER);
    assertThat(sure.noisyLineConfirmation()).isFalse();
    // a policy with one threshold for every line never flags one
    SpokenQuestionPolicy.Decided sameThreshold =
        new SpokenQuestionPolicy(2, 0.4, 0.25)
            .decide(index, withAgreeingAlternatives(0.5).onNoisyLine(), Language.EN);
    assertThat(sameThreshold.answer().decision()).isEqualTo(Decision.ANSWER);
    assertThat(sameThreshold.noisyLineConfirmation()).isFalse();
  }

  @Test
  void onlyAClarifyCanBeANoisyLineConfirmation() {
    Answer answer = index.ask(QUESTION, Language.EN);
    assertThat(answer.decision()).isEqualTo(Decision.ANSWER);
    assertThatThrownBy(() -> new SpokenQuestionPolicy.Decided(answer, true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ANSWER");
    assertThat(new SpokenQuestionPolicy.Decided(answer, false).answer()).isEqualTo(answer);
  }

  @Test
  void badSettingsAreRejected() {
    assertThatThrownBy(() -> new SpokenQuestionPolicy(2, 0.4, 0.2, 0.1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SpokenQuestionPolicy(2, 0.4, 0.2, 1.1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(new SpokenQuestionPolicy(2, 0.4, 0.2).noisyLineAnswerAt()).isEqualTo(0.4);
    assertThatThrownBy(() -> new SpokenQuestionPolicy(-1, 0.4, 0.2))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SpokenQuestionPolicy(2, 0.3, 0.4))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SpokenQuestionPolicy(2, 1.1, 0.4))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(new SpokenQuestionPolicy(0, 0, 0).agreeingAlternatives()).isZero();
  }
}
