package dev.sluice.server.api;

import dev.sluice.server.problem.Problem;
import dev.sluice.server.problem.ProblemException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.apache.commons.fileupload2.core.DiskFileItem;
import org.apache.commons.fileupload2.core.DiskFileItemFactory;
import org.apache.commons.fileupload2.core.FileItemInput;
import org.apache.commons.fileupload2.core.FileItemInputIterator;
import org.apache.commons.fileupload2.core.FileUploadException;
import org.apache.commons.fileupload2.jakarta.servlet6.JakartaServletFileUpload;

/**
 * Reads the file part of a {@code multipart/form-data} body as it arrives (Commons FileUpload's streaming API):
 * the bytes go from the socket to the caller's reader, with no copy of the part on disk or in memory first. The
 * container's own parser wrote every part over 1 MB to a temporary file outside the data directory, where neither
 * the free-space reserve nor the quota saw it, and the file was then read again into storage. Either way the
 * search for the parts' boundary takes most of the time (about 300 MB/s here), so a file PUT to an upload link
 * still goes in faster (README, tour). Parts before the file are skipped; parts after it are read and dropped, so
 * the client's request ends normally; the whole body stays within what {@code RequestBodyValve} lets a request send.
 */
final class MultipartFileStream {

    /** What to do with the file part's bytes. */
    @FunctionalInterface
    interface FileReader<T> {

        /**
         * @param fileName the part's file name as the client sent it
         * @param content  the part's bytes, read from the request as they come
         */
        T read(String fileName, InputStream content) throws IOException;
    }

    private MultipartFileStream() {
    }

    /**
     * Hands the first file part named {@code field} (one with a file name, as {@code curl -F field=@file} and a
     * browser's file input send it) to {@code reader} and answers what it answers.
     *
     * @throws ProblemException 400 when the body is not well-formed multipart or holds no such file part; what the
     *                          reader throws passes unchanged
     */
    static <T> T read(HttpServletRequest request, String field, FileReader<T> reader) throws IOException {
        JakartaServletFileUpload<DiskFileItem, DiskFileItemFactory> upload = new JakartaServletFileUpload<>();
        // curl and browsers send a file name's non-ASCII characters as UTF-8
        upload.setHeaderCharset(StandardCharsets.UTF_8);
        FileItemInputIterator parts;
        T answer;
        try {
            parts = upload.getItemIterator(request);
            answer = readFile(parts, field, reader);
        } catch (FileUploadException e) {
            throw new ProblemException(Problem.INVALID_REQUEST, "the multipart body could not be read ("
                    + e.getMessage() + "); send multipart/form-data with the file in a part named '" + field + "'");
        }
        try {
            while (parts.hasNext()) {
                parts.next(); // moving on skips the part's bytes
            }
        } catch (IOException e) {
            // the file is stored and its batch made: what follows it cannot change the answer
        }
        return answer;
    }

    private static <T> T readFile(FileItemInputIterator parts, String field, FileReader<T> reader) throws IOException {
        while (parts.hasNext()) {
            FileItemInput part = parts.next();
            if (!part.isFormField() && field.equals(part.getFieldName())) {
                try (InputStream content = part.getInputStream()) {
                    return reader.read(part.getName(), content);
                }
            }
        }
        throw new ProblemException(Problem.INVALID_REQUEST,
                "no file: send it as multipart/form-data in the part named '" + field + "'");
    }
}
