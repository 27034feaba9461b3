package voicecall.rag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KnowledgeIndexTest {

  private static final List<Entry> FAQ = EvaluationSet.allEntries();

  private final KnowledgeIndex index =
      new KnowledgeIndex(KnowledgeBase.build(1, FAQ), DecisionPolicy.DEFAULT, 100);

  @Test
  void koreanParticlesAndSpacingVariantsStillFindTheEntry() {
    Answer a = index.ask("요금제 바꾸려면요", null);
    assertThat(a.decision()).isEqualTo(Decision.ANSWER);
    assertThat(a.entryId()).isEqualTo("ko-plan-change");
    assertThat(a.answer()).startsWith("요금제는");
    assertThat(a.version()).isEqualTo(1);
  }

  @Test
  void englishStemmingMatchesOtherWordForms() {
    Answer a = index.ask("cancelling contracts", Language.EN);
    assertThat(a.entryId()).isEqualTo("en-cancel");
  }

  @Test
  void theGivenLanguageChoosesWhichEntriesAreSearched() {
    assertThat(index.ask("5G", Language.KO).entryId()).isEqualTo("ko-5g");
    assertThat(index.ask("5G", Language.EN).entryId()).isEqualTo("en-5g");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "can I talk to a real person",
        "Connect me to an agent please",
        "operator",
        "I want to speak with someone",
        "REPRESENTATIVE!",
        "get me a human",
        "상담원 연결해 주세요",
        "상담사랑 통화하고 싶어요",
        "사람이랑 얘기하고 싶어요",
        "직원 바꿔 주세요",
        "그냥 상담원이요",
        "transfer me to a live agent",
        "I'd like to speak to customer service",
        "고객센터 연결해 주세요",
        "상담 받고 싶어요",
        "누구랑 통화할 수 있어요?"
      })
  void aRequestForAPersonIsHumanInEitherLanguage(String text) {
    assertThat(index.ask(text, null).decision()).isEqualTo(Decision.HUMAN);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "How do I change my plan?",
        "is there a store near me",
        "가족 회선 추가하고 싶어요",
        "매장 몇 시에 열어요",
        "I want a new handset, can I upgrade",
        "can I add a line for my son",
        "직원 할인 있어요?",
        "사람이 많아요?"
      })
  void ordinaryQuestionsAreNotHumanRequests(String text) {
    assertThat(index.ask(text, null).decision()).isNotEqualTo(Decision.HUMAN);
  }

  @Test
  void somethingTheKnowledgeDoesNotCoverIsDeclined() {
    Answer a = index.ask("what's the weather going to be like tomorrow", null);
    assertThat(a.decision()).isEqualTo(Decision.NONE);
    assertThat(a.entryId()).isNull();
    assertThat(index.ask("", null).decision()).isEqualTo(Decision.NONE);
  }

  @Test
  void anOverlongQuestionIsRejected() {
    assertThatThrownBy(() -> index.ask("x".repeat(1001), null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aSwapInvalidatesExactlyTheCachedAnswersOfTheOldVersion() {
    assertThat(index.ask("How do I change my plan?", null).entryId()).isEqualTo("en-plan-change");
    assertThat(index.ask("  how do I CHANGE my plan? ", null).entryId())
        .isEqualTo("en-plan-change");
    assertThat(index.cachedAnswers()).isEqualTo(1); // the two spellings normalise to one key
    Entry moved =
        new Entry(
            "plan-v2",
            List.of("How do I change my plan?"),
            "Plans now change in the new portal.",
            List.of(),
            Language.EN);
    KnowledgeBase old = index.swap(KnowledgeBase.build(2, List.of(moved)));
    assertThat(old.version()).isEqualTo(1);
    assertThat(index.cachedAnswers()).isZero();
    Answer a = index.ask("How do I change my plan?", null);
    assertThat(a.entryId()).isEqualTo("plan-v2");
    assertThat(a.version()).isEqualTo(2);
  }

  @Test
  void questionsDuringRebuildsAreAnsweredFromOneCompleteVersion() throws Exception {
    // Version 1 has only English, version 2 only Korean, each entry answering with its version.
    KnowledgeBase v1 = versioned(1, Language.EN);
    KnowledgeBase v2 = versioned(2, Language.KO);
    KnowledgeIndex live = new KnowledgeIndex(v1, DecisionPolicy.DEFAULT, 1000);
    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      List<Future<Integer>> readers = new ArrayList<>();
      for (int r = 0; r < 2; r++) {
        readers.add(
            pool.submit(
                () -> {
                  int checked = 0;
                  while (!stop.get() || checked < 100) {
                    Answer a = live.ask("change plan", Language.EN);
                    Answer k = live.ask("요금제 변경", Language.KO);
                    // Each answer must come wholly from the version it names.
                    if (a.version() == 1) {
                      assertThat(a.answer()).isEqualTo("v1");
                    } else {
                      assertThat(a.decision()).isEqualTo(Decision.NONE);
                    }
                    if (k.version() == 2) {
                      assertThat(k.answer()).isEqualTo("v2");
                    } else {
                      assertThat(k.decision()).isEqualTo(Decision.NONE);
                    }
                    checked++;
                  }
                  return checked;
                }));
      }
      for (int i = 0; i < 200; i++) {
        live.swap(i % 2 == 0 ? v2 : v1);
      }
      stop.set(true);
      for (Future<Integer> f : readers) {
        assertThat(f.get(30, TimeUnit.SECONDS)).isGreaterThanOrEqualTo(100);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static KnowledgeBase versioned(long version, Language lang) {
    String q = lang == Language.EN ? "change plan" : "요금제 변경";
    return KnowledgeBase.build(
        version, List.of(new Entry("plan", List.of(q), "v" + version, List.of(), lang)));
  }
}
