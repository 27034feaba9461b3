package voicecall.tts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SpeechTextTest {

  @ParameterizedTest(name = "ko: {0} -> {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          요금은 5,000원입니다.               | 요금은 오천 원입니다.
          12,500원                           | 만이천오백 원
          ₩30,000                            | 삼만 원
          1,000,000원                        | 백만 원
          $10                                | 십 달러
          $10.50                             | 십 달러 오십 센트
          €2.50                              | 이 유로 오십 센트
          100엔                              | 백 엔
          15%                                | 십오 퍼센트
          2.5%                               | 이 점 오 퍼센트
          3.14                               | 삼 점 일사
          고객센터 114번                      | 고객센터 백십사 번
          010-1234-5678로 전화 주세요          | 공일공, 일이삼사, 오육칠팔로 전화 주세요
          1588-0010                          | 일오팔팔, 공공일공
          02-123-4567                        | 공이, 일이삼, 사오육칠
          오후 3시 30분                       | 오후 세 시 삼십 분
          14:30                              | 오후 두 시 삼십 분
          09:00                              | 오전 아홉 시
          2024년 6월 5일                      | 이천이십사 년 유월 오 일
          2024-10-09                         | 이천이십사 년 시월 구 일
          3개월 동안                          | 삼 개월 동안
          2개                                | 두 개
          20명                               | 스무 명
          24시간                             | 스물네 시간
          1번째                              | 첫 번째
          3번째                              | 세 번째
          5GB 데이터                          | 오 기가바이트 데이터
          5G 요금제                           | 파이브지 요금제
          LTE와 Wi-Fi                        | 엘티이와 와이파이
          eSIM 개통                           | 이심 개통
          9~18시                             | 구에서 열여덟 시
          0원                                | 영 원
          """)
  void koreanIsSpokenAsWritten(String written, String spoken) {
    assertThat(SpeechText.normalise(written, Language.KOREAN)).isEqualTo(spoken);
  }

  @ParameterizedTest(name = "en: {0} -> {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          It costs $10.                      | It costs ten dollars.
          $1                                 | one dollar
          $10.50                             | ten dollars and fifty cents
          $1,250.01                          | one thousand two hundred fifty dollars and one cent
          5,000 won                          | five thousand won
          ₩5,000                             | five thousand won
          €3                                 | three euros
          £3.50                              | three pounds and fifty pence
          ¥1,000                             | one thousand yen
          15%                                | fifteen percent
          0.5%                               | zero point five percent
          3.14                               | three point one four
          1,234,567                          | one million two hundred thirty-four thousand five hundred sixty-seven
          Call 010-1234-5678 now             | Call zero one zero, one two three four, five six seven eight now
          1-800-555-0199                     | one, eight zero zero, five five five, zero one nine nine
          (555) 123-4567                     | five five five, one two three, four five six seven
          at 2:30 PM                         | at two thirty P M
          at 14:30                           | at two thirty P M
          at 9:05 am                         | at nine oh five A M
          at 10:00                           | at ten o'clock
          open until 6pm                     | open until six P M
          March 5, 2024                      | March fifth, twenty twenty-four
          Jan 1st                            | January first
          2024-10-09                         | October ninth, twenty twenty-four
          2005-03-21                         | March twenty-first, two thousand five
          the 22nd time                      | the twenty-second time
          Dr. Kim                            | Doctor Kim
          Mr. Lee                            | Mister Lee
          e.g. data                          | for example data
          Press No. 3                        | Press number three
          5GB of data                        | five gigabytes of data
          1GB                                | one gigabyte
          100 Mbps                           | one hundred megabits per second
          5G and LTE                         | five G and L T E
          Q&A                                | Q and A
          9~18                               | nine to eighteen
          """)
  void englishIsSpokenAsWritten(String written, String spoken) {
    assertThat(SpeechText.normalise(written, Language.ENGLISH)).isEqualTo(spoken);
  }

  @ParameterizedTest(name = "nothing to say in [{0}]")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          '!!!'
          '...'
          '~*~'
          '   '
          '-- ## --'
          """)
  void symbolsOnlyLeaveNothingToSay(String written) {
    assertThat(SpeechText.normalise(written, Language.KOREAN)).isEmpty();
    assertThat(SpeechText.normalise(written, Language.ENGLISH)).isEmpty();
  }

  @Test
  void controlCharactersAndOddWhitespaceBecomeSingleSpaces() {
    assertThat(SpeechText.normalise("Hello\u0000world\t\r\n again", Language.ENGLISH))
        .isEqualTo("Hello world again");
    assertThat(SpeechText.normalise("안녕하세요\u200b\u0007고객님", Language.KOREAN))
        .isEqualTo("안녕하세요 고객님");
  }
}
