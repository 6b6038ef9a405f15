// Re-saves a corpus of .xls with Apache POI's HSSF: returns as Java programs write them. Many
// online collection systems and office back-ends export Excel with POI, and the older ones
// export .xls (BIFF8) with HSSF.
//
//     apt-get install -y libapache-poi-java        (POI 4.0.1 and what it needs)
//     java -cp "$(sh bench/poi_classpath.sh)" bench/ResavePoi.java MODE SOURCE_DIR TARGET_DIR
//
// MODE is one of
//   resave  each .xls opened with POI and written back whole (POI's own records, the styles
//           and strings as they were),
//   copy    each sheet's cells copied into a new workbook, as an export writes them.
// A copy keeps each cell's value (a formula's cached result, as a paste of values), its number
// format, merged areas, column widths, hidden sheets and the sheets' order; not fonts, fills
// or borders. Every .xls under SOURCE_DIR (the bench's `_out` left out) is written under
// TARGET_DIR at the same relative path. (Debian's POI cannot read or write .xlsx: its
// poi-ooxml-schemas jar lacks the schemas' type system, so XSSF and SXSSF fail to load.)

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.poi.hssf.usermodel.HSSFWorkbook;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.DataFormat;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.ss.util.CellRangeAddress;

public class ResavePoi {
    public static void main(String[] args) throws IOException {
        if (args.length != 3 || !List.of("resave", "copy").contains(args[0])) {
            System.err.println("usage: java ResavePoi.java resave|copy SOURCE_DIR TARGET_DIR");
            System.exit(2);
        }
        String mode = args[0];
        Path source = Paths.get(args[1]);
        Path target = Paths.get(args[2]);
        List<Path> files;
        try (Stream<Path> walk = Files.walk(source)) {
            files = walk.filter(p -> Files.isRegularFile(p)
                            && p.getFileName().toString().toLowerCase().endsWith(".xls")
                            && !source.relativize(p).startsWith("_out"))
                    .sorted()
                    .collect(Collectors.toList());
        }
        int count = 0;
        for (Path file : files) {
            Path out = target.resolve(source.relativize(file).toString());
            Files.createDirectories(out.getParent());
            try (InputStream in = new FileInputStream(file.toFile());
                    HSSFWorkbook book = new HSSFWorkbook(in)) {
                if (mode.equals("resave")) {
                    write(book, out);
                } else {
                    try (HSSFWorkbook copy = new HSSFWorkbook()) {
                        copyInto(book, copy);
                        write(copy, out);
                    }
                }
            }
            count += 1;
        }
        System.out.println("POI (" + mode + "): re-saved " + count + " workbooks under " + target);
    }

    static void write(Workbook book, Path out) throws IOException {
        try (OutputStream os = new FileOutputStream(out.toFile())) {
            book.write(os);
        }
    }

    /** Every sheet of `from` into `to`: values, number formats, merges, widths, visibility. */
    static void copyInto(Workbook from, Workbook to) {
        DataFormat formats = to.createDataFormat();
        Map<String, CellStyle> styles = new HashMap<>();
        for (int s = 0; s < from.getNumberOfSheets(); s++) {
            Sheet src = from.getSheetAt(s);
            Sheet dst = to.createSheet(src.getSheetName());
            for (Row row : src) {
                Row copyRow = dst.createRow(row.getRowNum());
                for (Cell cell : row) {
                    copyCell(cell, copyRow.createCell(cell.getColumnIndex()), to, formats, styles);
                }
            }
            for (CellRangeAddress merged : src.getMergedRegions()) {
                dst.addMergedRegionUnsafe(merged);
            }
            int lastCol = 0;
            for (Row row : src) {
                lastCol = Math.max(lastCol, row.getLastCellNum());
            }
            for (int c = 0; c < lastCol; c++) {
                dst.setColumnWidth(c, src.getColumnWidth(c));
            }
            if (from.isSheetHidden(s)) {
                to.setSheetHidden(s, true);
            }
            if (from.isSheetVeryHidden(s)) {
                to.setSheetVisibility(s, org.apache.poi.ss.usermodel.SheetVisibility.VERY_HIDDEN);
            }
        }
        to.setActiveSheet(from.getActiveSheetIndex());
        to.setFirstVisibleTab(from.getFirstVisibleTab());
    }

    static void copyCell(Cell from, Cell to, Workbook book, DataFormat formats,
            Map<String, CellStyle> styles) {
        String format = from.getCellStyle().getDataFormatString();
        if (format != null && !format.equals("General")) {
            CellStyle style = styles.computeIfAbsent(format, f -> {
                CellStyle st = book.createCellStyle();
                st.setDataFormat(formats.getFormat(f));
                return st;
            });
            to.setCellStyle(style);
        }
        CellType type = from.getCellType();
        if (type == CellType.FORMULA) {
            type = from.getCachedFormulaResultType();
        }
        switch (type) {
            case STRING:
                to.setCellValue(from.getStringCellValue());
                break;
            case NUMERIC:
                to.setCellValue(from.getNumericCellValue());
                break;
            case BOOLEAN:
                to.setCellValue(from.getBooleanCellValue());
                break;
            case ERROR:
                to.setCellErrorValue(from.getErrorCellValue());
                break;
            default:
                break;
        }
    }
}
