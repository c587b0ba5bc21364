package dev.signet.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.common.buffers.DataReader;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The build's patch of Helidon's {@code DataReader} (src/build/HelidonDataReaderPatch.java, issue 16):
 * a consumed node no longer points at the next one, so a promoted dead node cannot keep every later
 * request's bytes of its connection alive. Reflection here only reads the reader's private list
 * (test code; the server never does this).
 */
class HelidonDataReaderPatchTest {

    @Test
    void aConsumedNodeIsUnlinkedFromTheNodesAfterIt() throws Exception {
        Deque<byte[]> chunks = new ArrayDeque<>(List.of(
                "GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII),
                "Host: a\r\n".getBytes(StandardCharsets.US_ASCII),
                "\r\n".getBytes(StandardCharsets.US_ASCII)));
        DataReader reader = DataReader.create(chunks::poll);

        assertThat(reader.readLine()).isEqualTo("GET / HTTP/1.1");
        Object first = head(reader); // the first chunk, consumed
        assertThat(reader.readLine()).isEqualTo("Host: a");
        Object second = head(reader);
        assertThat(second).isNotSameAs(first);
        assertThat(reader.readLine()).isEmpty();

        // Helidon 4.5.0 as published leaves first.next == second (and second.next == the third chunk)
        assertThat(next(first)).as("the first, consumed chunk's next").isNull();
        assertThat(next(second)).as("the second, consumed chunk's next").isNull();
    }

    @Test
    void theReaderStillReadsAcrossChunksWithTheNodesUnlinked() {
        // a header line split over three reads, and a body split over two: what the patch must not break
        Deque<byte[]> chunks = new ArrayDeque<>(List.of(
                "Content-Le".getBytes(StandardCharsets.US_ASCII),
                "ngth: 1".getBytes(StandardCharsets.US_ASCII),
                "0\r\n\r\nhello".getBytes(StandardCharsets.US_ASCII),
                "world".getBytes(StandardCharsets.US_ASCII)));
        DataReader reader = DataReader.create(chunks::poll);

        assertThat(reader.readLine()).isEqualTo("Content-Length: 10");
        assertThat(reader.readLine()).isEmpty();
        assertThat(reader.readBuffer(10).readString(10, StandardCharsets.US_ASCII)).isEqualTo("helloworld");
        assertThat(chunks).isEmpty();
    }

    private static Object head(DataReader reader) throws ReflectiveOperationException {
        Field head = DataReader.class.getDeclaredField("head");
        head.setAccessible(true);
        return head.get(reader);
    }

    private static Object next(Object node) throws ReflectiveOperationException {
        Field next = node.getClass().getDeclaredField("next");
        next.setAccessible(true);
        return next.get(node);
    }
}
