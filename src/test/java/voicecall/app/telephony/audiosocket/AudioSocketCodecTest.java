package voicecall.app.telephony.audiosocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class AudioSocketCodecTest {

  private static final UUID ID = UUID.fromString("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0");

  private static EmbeddedChannel decoder() {
    return new EmbeddedChannel(new AudioSocketDecoder(16384));
  }

  private static byte[] frame(int kind, byte[] payload) {
    byte[] out = new byte[3 + payload.length];
    out[0] = (byte) kind;
    out[1] = (byte) (payload.length >> 8);
    out[2] = (byte) payload.length;
    System.arraycopy(payload, 0, out, 3, payload.length);
    return out;
  }

  private static byte[] idFrame() {
    ByteBuf buf = Unpooled.buffer();
    buf.writeByte(1)
        .writeShort(16)
        .writeLong(ID.getMostSignificantBits())
        .writeLong(ID.getLeastSignificantBits());
    byte[] out = new byte[buf.readableBytes()];
    buf.readBytes(out);
    return out;
  }

  private static List<Object> drain(EmbeddedChannel ch) {
    List<Object> out = new ArrayList<>();
    Object m;
    while ((m = ch.readInbound()) != null) {
      out.add(m);
    }
    return out;
  }

  @Test
  void decodesIdAudioDtmfHangupAndErrorInOrder() {
    EmbeddedChannel ch = decoder();
    ch.writeInbound(
        Unpooled.wrappedBuffer(
            idFrame(),
            frame(0x10, new byte[320]),
            frame(0x10, new byte[480]),
            frame(0x12, new byte[640]),
            frame(0x03, new byte[] {'#'}),
            frame(0xFF, new byte[] {2}),
            frame(0x00, new byte[0])));
    List<Object> messages = drain(ch);
    assertThat(messages).hasSize(7);
    assertThat(messages.get(0)).isEqualTo(new AudioSocketMessage.Id(ID));
    assertThat(((AudioSocketMessage.Audio) messages.get(1)).pcm()).hasSize(320);
    assertThat(((AudioSocketMessage.Audio) messages.get(2)).pcm()).hasSize(480);
    assertThat(((AudioSocketMessage.Audio) messages.get(3)).sampleRate()).isEqualTo(16000);
    assertThat(messages.get(4)).isEqualTo(new AudioSocketMessage.Dtmf('#'));
    assertThat(((AudioSocketMessage.ErrorReport) messages.get(5)).code()).containsExactly(2);
    assertThat(messages.get(6)).isInstanceOf(AudioSocketMessage.Hangup.class);
  }

  @Test
  void framesSplitAcrossReadsAreReassembled() {
    EmbeddedChannel ch = decoder();
    byte[] all = new byte[0];
    for (byte[] f : List.of(idFrame(), frame(0x10, new byte[320]), frame(0x03, new byte[] {'7'}))) {
      byte[] merged = new byte[all.length + f.length];
      System.arraycopy(all, 0, merged, 0, all.length);
      System.arraycopy(f, 0, merged, all.length, f.length);
      all = merged;
    }
    for (byte b : all) {
      ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
    }
    assertThat(drain(ch)).hasSize(3).last().isEqualTo(new AudioSocketMessage.Dtmf('7'));
  }

  @Test
  void unknownKindsAreSkipped() {
    EmbeddedChannel ch = decoder();
    ch.writeInbound(
        Unpooled.wrappedBuffer(
            frame(0x02, new byte[5]), frame(0x42, new byte[0]), frame(0x03, new byte[] {'1'})));
    assertThat(drain(ch)).containsExactly(new AudioSocketMessage.Dtmf('1'));
  }

  @Test
  void malformedFramesFailTheConnection() {
    for (byte[] bad :
        List.of(
            frame(0x01, new byte[15]),
            frame(0x03, new byte[2]),
            frame(0x03, new byte[] {'x'}),
            frame(0x10, new byte[321]),
            frame(0x10, new byte[16386]))) {
      EmbeddedChannel ch = decoder();
      assertThatThrownBy(() -> ch.writeInbound(Unpooled.wrappedBuffer(bad)))
          .isInstanceOf(DecoderException.class);
      // once broken, the rest of the connection is discarded, not resynchronised
      ch.writeInbound(Unpooled.wrappedBuffer(frame(0x03, new byte[] {'1'})));
      assertThat(drain(ch)).isEmpty();
    }
  }

  @Test
  void oversizedHeaderIsRejectedBeforeThePayloadArrives() {
    EmbeddedChannel ch = decoder();
    assertThatThrownBy(
            () ->
                ch.writeInbound(
                    Unpooled.wrappedBuffer(new byte[] {0x10, (byte) 0xFF, (byte) 0xFE})))
        .isInstanceOf(DecoderException.class)
        .hasMessageContaining("65534");
  }

  @Test
  void aTruncatedFrameAtEofProducesNothing() {
    EmbeddedChannel ch = decoder();
    ch.writeInbound(Unpooled.wrappedBuffer(frame(0x10, new byte[320]), new byte[] {0x10, 0x01}));
    assertThat(drain(ch)).hasSize(1);
    ch.finish();
    assertThat(drain(ch)).isEmpty();
  }

  @Test
  void encoderWritesWhatTheDecoderReads() {
    EmbeddedChannel out = new EmbeddedChannel(new AudioSocketEncoder());
    List<AudioSocketMessage> sent =
        List.of(
            new AudioSocketMessage.Id(ID),
            new AudioSocketMessage.Audio(8000, new byte[] {1, 2, 3, 4}),
            new AudioSocketMessage.Audio(16000, new byte[640]),
            new AudioSocketMessage.Dtmf('*'),
            new AudioSocketMessage.Hangup());
    for (AudioSocketMessage m : sent) {
      out.writeOutbound(m);
    }
    EmbeddedChannel in = decoder();
    ByteBuf b;
    while ((b = out.readOutbound()) != null) {
      in.writeInbound(b);
    }
    List<Object> got = drain(in);
    assertThat(got).hasSize(5);
    assertThat(got.get(0)).isEqualTo(sent.get(0));
    assertThat(((AudioSocketMessage.Audio) got.get(1)).pcm()).containsExactly(1, 2, 3, 4);
    assertThat(((AudioSocketMessage.Audio) got.get(2)).sampleRate()).isEqualTo(16000);
    assertThat(got.get(3)).isEqualTo(sent.get(3));
    assertThat(got.get(4)).isInstanceOf(AudioSocketMessage.Hangup.class);
  }

  @Test
  void encoderWritesTheExactHangupAndAudioBytes() {
    EmbeddedChannel out = new EmbeddedChannel(new AudioSocketEncoder());
    out.writeOutbound(new AudioSocketMessage.Hangup());
    out.writeOutbound(new AudioSocketMessage.Audio(8000, new byte[] {(byte) 0xAB, 0x01}));
    ByteBuf hangup = out.readOutbound();
    ByteBuf audio = out.readOutbound();
    assertThat(bytes(hangup)).containsExactly(0x00, 0x00, 0x00);
    assertThat(bytes(audio)).containsExactly(0x10, 0x00, 0x02, 0xAB, 0x01);
  }

  @Test
  void thousandsOfRandomStreamsNeverEscapeAsAnythingButDecoderErrors() {
    Random random = new Random(4);
    int decoded = 0;
    int failed = 0;
    for (int run = 0; run < 5000; run++) {
      EmbeddedChannel ch = decoder();
      byte[] junk = new byte[random.nextInt(600)];
      random.nextBytes(junk);
      if (run % 3 == 0 && junk.length > 3) {
        junk[0] = (byte) 0x10; // plausible-looking audio header with a random length
      }
      int pos = 0;
      try {
        while (pos < junk.length) {
          int n = Math.min(junk.length - pos, 1 + random.nextInt(64));
          ch.writeInbound(Unpooled.wrappedBuffer(junk, pos, n));
          pos += n;
        }
        ch.finish();
      } catch (DecoderException e) {
        failed++;
      }
      for (Object m : drain(ch)) {
        assertThat(m).isInstanceOf(AudioSocketMessage.class);
        decoded++;
      }
      ch.finishAndReleaseAll();
    }
    assertThat(failed).isPositive();
    assertThat(decoded).isPositive();
  }

  private static int[] bytes(ByteBuf buf) {
    int[] out = new int[buf.readableBytes()];
    for (int i = 0; i < out.length; i++) {
      out[i] = buf.readUnsignedByte();
    }
    buf.release();
    return out;
  }
}
