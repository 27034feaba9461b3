package voicecall.app.speech;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import voicecall.rag.Entry;
import voicecall.rag.KnowledgeBase;
import voicecall.tts.Language;

class PrerenderPlanTest {

  @Test
  void eachAnswerGoesToItsLanguageAfterThatLanguagesPrompts() {
    KnowledgeBase kb =
        KnowledgeBase.build(
            7,
            List.of(
                entry("a", "How?", "Like this.", voicecall.rag.Language.EN),
                entry("b", "어떻게?", "이렇게 합니다.", voicecall.rag.Language.KO),
                entry("c", "Why?", "Because.", voicecall.rag.Language.EN)));

    PrerenderPlan plan = PrerenderPlan.of(kb, FakeSpeech.prompts());

    assertThat(plan.version()).isEqualTo(7);
    assertThat(plan.answers()).isEqualTo(3);
    assertThat(plan.prompts()).isEqualTo(22);
    assertThat(plan.texts().keySet()).containsExactly(Language.KOREAN, Language.ENGLISH);
    assertThat(plan.texts().get(Language.ENGLISH))
        .containsExactly(
            "Hello.",
            "Say more.",
            "Say it another way.",
            "Hold on.",
            "Bye.",
            "Anything else?",
            "Still there?",
            "One or two.",
            "Yes or no.",
            "Choose.",
            "Zero for agent.",
            "Like this.",
            "Because.");
    assertThat(plan.texts().get(Language.KOREAN)).endsWith("이렇게 합니다.").hasSize(12);
  }

  @Test
  void anEmptyVersionStillHasThePromptsOfBothLanguages() {
    PrerenderPlan plan = PrerenderPlan.of(KnowledgeBase.empty(), FakeSpeech.prompts());

    assertThat(plan.answers()).isZero();
    assertThat(plan.texts().get(Language.KOREAN)).hasSize(11);
    assertThat(plan.texts().get(Language.ENGLISH)).hasSize(11);
  }

  private static Entry entry(String id, String q, String a, voicecall.rag.Language language) {
    return new Entry(id, List.of(q), a, List.of(), language);
  }
}
