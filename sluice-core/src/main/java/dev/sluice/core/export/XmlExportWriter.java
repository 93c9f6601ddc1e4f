package dev.sluice.core.export;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/** {@code <records><record><column>value</column>...</record></records>}; see {@link ExportWriter}. */
final class XmlExportWriter extends ExportWriter {

    /** The root element. */
    static final String RECORDS = "records";
    /** One element per record. */
    static final String RECORD = "record";

    private static final XMLOutputFactory FACTORY = XMLOutputFactory.newFactory();
    private static final char REPLACEMENT = '\uFFFD';

    private final XMLStreamWriter xml;

    XmlExportWriter(List<String> columns, OutputStream out) throws IOException {
        super(columns);
        for (String column : columns) {
            if (!column.matches("[A-Za-z_][A-Za-z0-9_.-]*") || column.regionMatches(true, 0, "xml", 0, 3)) {
                throw new IllegalArgumentException("'" + column + "' cannot be an XML element name");
            }
        }
        try {
            this.xml = FACTORY.createXMLStreamWriter(out, StandardCharsets.UTF_8.name());
            xml.writeStartDocument(StandardCharsets.UTF_8.name(), "1.0");
            xml.writeStartElement(RECORDS);
        } catch (XMLStreamException e) {
            throw new IOException("cannot start the XML file: " + e.getMessage(), e);
        }
    }

    @Override
    void writeRecord(List<?> values) throws IOException {
        try {
            xml.writeStartElement(RECORD);
            for (int i = 0; i < columns.size(); i++) {
                String text = ExportValues.text(values.get(i));
                if (text == null) {
                    continue;
                }
                xml.writeStartElement(columns.get(i));
                writeText(text);
                xml.writeEndElement();
            }
            xml.writeEndElement();
        } catch (XMLStreamException e) {
            throw new IOException("cannot write an XML record: " + e.getMessage(), e);
        }
    }

    /** Writes text XML 1.0 can carry: invalid characters become U+FFFD, CR a character reference. */
    private void writeText(String text) throws XMLStreamException {
        StringBuilder run = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\r') {
                flush(run);
                xml.writeEntityRef("#13");
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                run.append(c).append(text.charAt(++i));
            } else if (Character.isSurrogate(c) || (c < 0x20 && c != '\t' && c != '\n') || c == '\uFFFE' || c == '\uFFFF') {
                run.append(REPLACEMENT);
            } else {
                run.append(c);
            }
        }
        flush(run);
    }

    private void flush(StringBuilder run) throws XMLStreamException {
        if (!run.isEmpty()) {
            xml.writeCharacters(run.toString());
            run.setLength(0);
        }
    }

    @Override
    public void finish() throws IOException {
        try {
            xml.writeEndElement();
            xml.writeEndDocument();
            xml.flush();
            // close() of an XMLStreamWriter never closes the underlying stream
            xml.close();
        } catch (XMLStreamException e) {
            throw new IOException("cannot finish the XML file: " + e.getMessage(), e);
        }
    }
}
