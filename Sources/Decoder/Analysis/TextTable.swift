/// Rows of cells printed as aligned columns: the first column left-aligned, the others right.
struct TextTable {
    var header: [String]
    var rows: [[String]] = []
    /// Columns (by index) aligned to the left besides the first.
    var leftAligned: Set<Int> = [0]

    func write(to output: inout some TextOutputStream, indent: String = "  ") {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0.indices.contains(column) ? $0[column].count : 0 }.max() ?? 0 }
        for row in all {
            var line = indent
            for (column, cell) in row.enumerated() {
                let pad = String(repeating: " ", count: widths[column] - cell.count)
                if column > 0 { line += "  " }
                line += leftAligned.contains(column) ? cell + (column == row.count - 1 ? "" : pad) : pad + cell
            }
            while line.last == " " { line.removeLast() }
            output.write(line + "\n")
        }
    }
}
