//! Problems: why a data file or a rule file could not be used (fully), located in it.
//!
//! A problem is data, like a finding; `render` turns it into a diagnostic. Problems make
//! the run exit 2, except notices (such as a file decoded from GB18030), which only inform.

use std::ops::Range;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// A stable, ASCII name for the kind of problem: `yaml-syntax`, `unknown-field`; each
    /// is registered in [`CODES`].
    pub code: &'static str,
    pub message: String,
    /// Where in the file; `None` for problems with the file as a whole.
    pub span: Option<Range<usize>>,
    /// The primary label, short.
    pub label: String,
    /// Other places that explain the problem (the first of two duplicate keys).
    pub secondary: Vec<(Range<usize>, String)>,
    pub notes: Vec<String>,
    pub help: Option<String>,
    /// A notice informs and does not make the run fail.
    pub notice: bool,
}

impl Problem {
    pub fn new(code: &'static str, message: impl Into<String>) -> Problem {
        Problem {
            code,
            message: message.into(),
            span: None,
            label: String::new(),
            secondary: Vec::new(),
            notes: Vec::new(),
            help: None,
            notice: false,
        }
    }

    pub fn at(mut self, span: Range<usize>, label: impl Into<String>) -> Problem {
        self.span = Some(span);
        self.label = label.into();
        self
    }

    pub fn with_secondary(mut self, span: Range<usize>, label: impl Into<String>) -> Problem {
        self.secondary.push((span, label.into()));
        self
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Problem {
        self.notes.push(note.into());
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Problem {
        self.help = Some(help.into());
        self
    }

    pub fn as_notice(mut self) -> Problem {
        self.notice = true;
        self
    }
}

/// A kind of problem: its code, what it means in one line, and what to do about it.
#[derive(Debug, PartialEq, Eq)]
pub struct ProblemCode {
    /// The stable ASCII name in [`Problem::code`]: `yaml-syntax`.
    pub(crate) code: &'static str,
    /// One line, in Chinese: what went wrong.
    pub(crate) summary: &'static str,
    /// When it happens and how to fix it; what `hecha explain CODE` prints.
    pub(crate) doc: &'static str,
}

macro_rules! codes {
    ($($code:literal => $summary:literal, $doc:literal;)*) => {
        /// Every problem code, in alphabetical order: the one registry that `hecha explain
        /// CODE` and SARIF rule descriptors read. A test checks that every code used in
        /// `src/` is here.
        pub const CODES: &[ProblemCode] = &[
            $(ProblemCode { code: $code, summary: $summary, doc: $doc },)*
        ];
    };
}

codes! {
    "alias-expansion" => "别名展开后的数据项过多",
    "YAML 别名（*名称）每引用一次就展开一份所指的数据；层层引用可使数据项成倍增加。超过上限时文件不核查。核对文件中的锚点（&名称）与别名，去掉不需要的引用。";
    "complex-key" => "映射的键必须是文字",
    "报告数据中映射的键应为文字（如「预算数」），不能是列表或映射。改写该键为一段文字。";
    "corrupt-document" => "Word 文档已损坏，无法读取",
    "文件是 Word 文档（.docx），但其中的正文无法解析，文件可能不完整或已损坏。在 Word 或 WPS 中打开并另存后再核查。";
    "corrupt-workbook" => "工作簿已损坏，无法读取",
    "文件是 Excel 或 WPS 工作簿，但无法作为压缩包或表格读取，文件可能不完整或已损坏。在 Excel 或 WPS 中打开并另存后再核查。";
    "date-after-report" => "正文中的日期晚于报告的落款日期",
    "报告正文写到的日期晚于报告自己的落款日期（或所评年度之后），多半是笔误，或报告是事后补写的。这只是提示。核对日期。";
    "duplicate-id" => "规则 id 重复",
    "同一次运行中的两条规则用了同一个 id；id 是决定与基线所依据的名字，不得重复。给其中一条改名。";
    "duplicate-key" => "键重复出现",
    "同一映射中同一个键出现两次，后一个会掩盖前一个，无法确定哪个是所填的值。删除或改名其中之一。";
    "empty" => "文件为空，没有可核查的数据",
    "文件没有任何数据（或只有注释）。确认文件是否完整导出或保存。";
    "empty-rules" => "规则文件为空",
    "规则文件中没有规则。写入 rules: 列表，每项一条规则。";
    "encoding" => "文件不是 UTF-8 编码，已转换后核查",
    "文件按 GB18030（GBK）等编码保存，已转换为 UTF-8 后核查；这只是提示，不影响结果。位置按转换后的文本计算。建议另存为 UTF-8。";
    "explained-error" => "error 级规则不能用说明免除",
    "explained_by 让写明原因的发现算作已说明；error 级（强制性审核）的问题必须改正，不能说明了事。改为 warning 级，或去掉 explained_by。";
    "figure-change" => "值是变化幅度，未作为数字读取",
    "「下降5%」「增长10%」这类值写的是变化幅度，不是一个可直接核对的数字，未读取；这只是提示。另设一个键写幅度本身（如「降幅: 5%」），并写明基数。";
    "figure-in-text" => "名称和数字写在同一个值里，其中的数字未读取",
    "「得分：89.05分」这类值把名称和数字写在一起（常因用了全角冒号「：」），数字未读取；这只是提示。把名称写作键、数字写作值，如「得分: 89.05分」，冒号用半角。";
    "figure-overflow" => "数字超出可计算的范围",
    "数字的位数超出可精确计算的范围（约 28 位有效数字），无法核查。核对该数字是否填错。";
    "form-header-unknown" => "自评表的表头无法识别，此栏未核查",
    "表头的写法不在表样文件（rules/readers/forms-layout.yaml）中，这一栏未读取、未核查。若是本省的写法，在 hecha.yaml 的 layout 中加上它（见 docs/forms.md）。";
    "form-layout-unknown" => "像是自评表，但识别不出它的表样",
    "工作表或表格中有自评表才有的字样，却找不到资金表或绩效指标表的表头，整张表未核查。在 hecha.yaml 的 layout 中加上本省表头的写法，或把表整理为 YAML。";
    "form-row-unknown" => "资金表中的行无法识别，此行未核查",
    "资金表中这一行的名称不在表样文件中（如资金来源的别称），此行未读取、未核查。在 hecha.yaml 的 layout 中加上这一行的写法。";
    "formula-without-value" => "公式单元格没有保存计算结果",
    "这些单元格只有公式、没有保存的结果（常见于程序生成的表格），按空白处理。在 Excel 或 WPS 中打开并保存一次，使结果写入文件，再核查。";
    "full-width-space" => "行首用了全角空格缩进",
    "YAML 只认半角空格缩进；行首的全角空格「　」（中文输入法常见）使文件无法按层次读取。把行首的全角空格改为半角空格，每层两个。";
    "invalid-case" => "测试用例写法不符",
    "规则文件中的测试用例（tests:）缺少输入或期望，或写法不符。每个用例写 data: 与期望的发现（expect:）。";
    "invalid-date" => "日期格式不符",
    "审核决定中的日期应写作 YYYY-MM-DD，如 2024-03-31。";
    "invalid-expression" => "表达式无法解析",
    "check、when 或 message 中的表达式有语法错误，如括号不配对、运算符缺少操作数、未知函数。按提示改正表达式。";
    "invalid-id" => "规则 id 含不允许的字符",
    "规则 id 只用小写字母、数字和 / _ -，写作「包名/规则名」，如 casework/closed-exceeds-assigned。";
    "invalid-message" => "message 模板写法不符",
    "message 或 help 中的 {表达式} 括号不配对，或其中的表达式无法解析。成对写 { }，文字中的括号写作 {{ 与 }}。";
    "invalid-severity" => "未知的 severity",
    "severity 只能是 error、warning 或 info。";
    "invalid-status" => "未知的 status",
    "测试用例期望的 status 只能是 failed 或 explained。";
    "invalid-title" => "title 应为一行",
    "规则的 title 是一行标题，显示在每条发现旁。把多行内容移到 doc 中。";
    "invalid-tolerance" => "容差不是非负的数值",
    "tolerance 应为不小于 0 的数值，写明单位，如 0.01万元。";
    "invalid-type" => "字段的类型不符",
    "字段应为映射、列表或文字，所填的却是别的类型。按提示改写该字段。";
    "invalid-value" => "字段的值不在可选之列",
    "hecha 自己的文件（如词表 prose-lexicon.yaml）中，某个字段只能取几个值之一（如 measure 只能是 count、money 或 ratio），写的却是别的。按提示改正。";
    "layout-invalid" => "表样设置写法不符",
    "hecha.yaml 或规则目录中的 layout（表样）应为「栏目名: [写法, …]」的映射，且栏目名须是表样文件中已有的一项。按提示改正。";
    "missing-field" => "缺少必填字段",
    "规则、审核决定或测试用例缺少必填的字段（如 id、check）。补上该字段。";
    "missing-file" => "审核决定所指的文件不存在",
    "审核决定的 file 字段所指的文件不在本次核查之列。核对文件名，或删去过时的决定。";
    "no-figures" => "文件中没有读取到任何数字",
    "文件读取成功，但其中没有一个值能读作数字，规则无可核查。数字须带单位或写成纯数字（如 2495件、25.50万元、90%）。";
    "no-files" => "目录中没有可核查的文件",
    "所给的目录中没有数据文件（如 .yaml、.json）。核对路径，或直接给出文件。";
    "no-form" => "文件中没有识别出绩效自评表",
    "工作簿或 Word 文档读取成功，但其中没有一张表能识别为项目支出或部门整体支出绩效自评表，没有可核查的数据。确认文件内容；若是本省的表样，在 hecha.yaml 的 layout 中加上表头的写法。";
    "no-rules" => "没有要运行的规则，数据只读取、未核查",
    "本次运行没有任何规则（配置文件有误，或所给的规则文件中没有可用的规则），数据只读取而未核查。改正配置，或给出含规则的规则文件。";
    "not-a-file" => "给出的路径不是普通文件",
    "所给的路径是目录以外的特殊文件（管道、设备、套接字），或应为文件处给了目录；这类路径可能永远读不完，未读取。给出报告、规则或配置文件本身的路径。";
    "not-data" => "文件内容不是「键: 值」形式的数据",
    "文件读取成功，但整个文件是一段文字或一个列表，而不是「键: 值」形式的数据，规则无从核查。按数据约定（hecha docs conventions）改写。";
    "not-found" => "文件或目录无法打开",
    "所给的路径不存在或无权读取。核对路径。";
    "not-text" => "文件不是可读取的文本",
    "文件含有 NUL 字节或无法识别的编码，不是 YAML 或 JSON 文本。把数据整理为 YAML 或 JSON，另存为 UTF-8。";
    "number-format-unknown" => "文件不含数字格式，数字按存储值核查",
    "此类文件（.xls、.ods）读不到单元格的数字格式，表中显示的小数位数无从得知；为免误报，各数按可能显示为整数的范围核查，只报告明显的不一致。这只是提示。另存为 .xlsx 可按显示的数字核查。";
    "param-type" => "参数的值类型不符",
    "配置中为规则参数给的值与规则所定义的类型不同（如数值参数填了文字）。按规则的定义改写。";
    "password-protected" => "文件设有打开密码，无法读取",
    "文件已加密（设有打开密码），内容无法读取。在 Excel、Word 或 WPS 中取消密码后另存，再核查。";
    "pdf-no-text" => "PDF 没有文字层，无法读取",
    "PDF 的每一页都没有可提取的文字（多半是扫描件或图片），其中的数字无法读取，文件未核查。用原文档（Word）另存为 PDF，或直接核查 Word 文档。";
    "pdf-unreadable" => "PDF 文件无法读取",
    "文件是 PDF，但无法解析（可能已损坏、不完整或已加密），文件未核查。确认文件完整；用 PDF 阅读器另存后再核查。";
    "placeholder-in-text" => "正文中留有占位符",
    "报告正文（书名号《》之外）留有模板的占位符，如「X月X日」「XX同志」「××局」，是未填写的名称、数字或日期。写在数字位置的占位符（「XX件」）由规则 hygiene/placeholder-figure 报告。这只是提示。填写实际内容。";
    "recursive-alias" => "别名引用了包含它自身的节点",
    "YAML 别名所指的节点包含该别名本身，展开永无止境。改为引用别处的节点，或直接写出数据。";
    "stale-decision" => "审核决定已不对应任何发现",
    "审核决定记录的发现在本次核查中已不再出现（数据已改正，或规则已改），这条决定可以删去。";
    "title-month-differs" => "标题所称月份与正文所述月份不一致",
    "报告标题写了一个月份（如「2019年3月份信访工作情况通报」），正文却在句首写另一个月份的情况（如「4月份共受理…」），且没有写标题的月份，多半是照上期报告改写时漏改了标题或正文。正文中比较用的月份（「较3月份下降」）、月底（「截至4月底」）和月份区间（「1-4月份」）不算。这只是提示。核对标题与正文的月份。";
    "too-deep" => "嵌套层数超过上限",
    "数据的嵌套层数超过上限，文件不核查。核对文件是否为异常生成。";
    "too-large" => "文件超过大小上限",
    "超过上限的文件不读取，以免异常文件耗尽内存。确认文件无误后，可用 --max-file-size 调高上限。";
    "too-many-findings" => "文件的发现过多，其余只计数",
    "一个文件的发现超过上限时，超出的只计数、不列出，以免输出过大；文件照常核查。先改正已列出的问题，再重新核查。";
    "too-many-nodes" => "文件的数据项过多",
    "文件的数据项（含别名展开）超过上限，文件不核查。核对文件是否为异常生成。";
    "too-many-steps" => "规则的计算量超过上限，其余核查未完成",
    "规则在此文件上的计算量超过上限，核查停在所指之处；此前的发现照常报告。核对文件是否异常庞大，或规则是否选出了过多的数据。";
    "type-error" => "表达式的类型不符",
    "表达式中某处应为数值、条件或文字，写的却是别的，或函数的参数个数不符。按提示改正表达式。";
    "unchecked" => "没有一条规则适用于这个文件",
    "文件中读到了数字，但没有一条规则的核查适用于它，文件实际未核查。核对键名是否与数据约定一致（hecha docs conventions）。";
    "unit-error" => "表达式中的单位不能一起计算",
    "规则中写明的单位不能相加减或比较，如 5件 + 3人次、100% + 5万元。核对规则中的单位。";
    "unknown-field" => "未知的字段",
    "规则、配置或审核决定中有不认识的字段，多半是拼写错误；提示中给出相近的字段名。";
    "unknown-pack" => "没有这个名字的内置规则包",
    "配置的 packs 中列出了不存在的内置规则包。hecha rules 列出所有规则及其所在的包。";
    "unknown-param" => "未知的规则参数",
    "配置为规则设置了该规则没有定义的参数，多半是拼写错误。核对参数名。";
    "unknown-rule" => "没有这个 id 的规则",
    "配置、审核决定或测试用例提到的规则 id 不存在，多半是拼写错误或规则已改名。hecha rules 列出所有规则。";
    "unreadable" => "文件或目录无法读取",
    "文件或目录存在，但读取时出错（如无权限）。核对权限后重试。";
    "unsupported-format" => "文件的格式 hecha 不能读取，或与扩展名不符",
    "文件的内容不是扩展名所说的格式（可能已损坏、不完整或改了扩展名），或是 hecha 不能读取的文件（如 PowerPoint）。用原程序打开确认，另存为 .xlsx、.docx 或 YAML 后再核查。";
    "unwritable" => "文件无法写入",
    "hecha 要写的文件（如基线文件）无法写入。核对路径和权限。";
    "workbook-too-large" => "工作簿解压后过大，不予读取",
    "工作簿或 Word 文档是压缩包；它解压后的大小超过上限（按 --max-file-size 和 --max-nodes 计算），可能是异常文件，不予读取。确认文件无误后，调高 --max-file-size 或 --max-nodes。";
    "yaml-syntax" => "YAML 格式错误，文件无法读取",
    "文件不符合 YAML（或 JSON）的语法，如缩进不齐、引号不配对、别名所指的锚点不存在。按所指位置改正。";
}

/// The registered code `code`, with its summary and doc.
pub fn describe(code: &str) -> Option<&'static ProblemCode> {
    CODES.iter().find(|c| c.code == code)
}

/// Names longer than this get no suggestion: a typo is looked for in names people type,
/// and the distance costs the product of the two lengths.
const MAX_SIMILAR_LEN: usize = 64;

/// The closest of `candidates` to `word`, if it is close enough to be a likely typo.
pub(crate) fn similar<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let len = word.chars().count();
    if len > MAX_SIMILAR_LEN {
        return None;
    }
    let limit = (len / 3).max(1);
    candidates
        .into_iter()
        // One edit changes the length by at most 4 bytes: skip what is surely too far.
        .filter(|c| c.len().abs_diff(word.len()) <= 4 * limit)
        .map(|c| (edit_distance(word, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Edit distance over characters, counting a swap of neighbours as one edit (the
/// optimal string alignment distance): `lwo` is one edit from `low`.
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    d[0] = (0..=b.len()).collect();
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn similar_names() {
        let fields = ["id", "title", "severity", "check", "explained_by"];
        assert_eq!(similar("severty", fields), Some("severity"));
        assert_eq!(similar("chek", fields), Some("check"));
        assert_eq!(similar("explained-by", fields), Some("explained_by"));
        assert_eq!(similar("zzzzzz", fields), None);
        assert_eq!(similar("办结", ["办结率"]), Some("办结率"));
        let long = "x".repeat(1 << 20);
        assert_eq!(similar(&long, [long.as_str()]), None, "no quadratic work");
        assert_eq!(edit_distance("办结率", "办结"), 1);
        assert_eq!(edit_distance("f/lwo", "f/low"), 1);
    }

    /// Every code written in `src/` as the first argument of `Problem::new` (or chosen
    /// just before a call that passes a variable) is registered, and only once.
    #[test]
    fn every_code_used_is_registered() {
        let mut used = std::collections::BTreeSet::new();
        let mut files = vec![std::path::PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/src"
        ))];
        while let Some(path) = files.pop() {
            if path.is_dir() {
                files.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for (at, _) in text.match_indices("Problem::new(") {
                if text[..at].ends_with('"') {
                    continue; // this test's own text
                }
                let rest = text[at + "Problem::new(".len()..].trim_start();
                if let Some(literal) = rest.strip_prefix('"') {
                    used.insert(literal[..literal.find('"').unwrap()].to_string());
                } else if !rest.starts_with("code: &'static str") {
                    // A code chosen beforehand: the literals of the lines before the call.
                    let before = &text[..at];
                    let start = before
                        .match_indices('\n')
                        .rev()
                        .nth(8)
                        .map_or(0, |(i, _)| i);
                    let mut found = false;
                    for piece in before[start..].split('"').skip(1).step_by(2) {
                        if !piece.is_empty()
                            && piece.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')
                        {
                            used.insert(piece.to_string());
                            found = true;
                        }
                    }
                    assert!(found, "{}: a code that is not a literal", path.display());
                }
            }
        }
        assert!(used.len() > 30, "{used:?}");
        assert!(
            used.contains("unit-error"),
            "a code chosen before the call is seen"
        );
        for code in &used {
            assert!(
                describe(code).is_some(),
                "problem code {code} is not in CODES"
            );
        }
        for pair in CODES.windows(2) {
            assert!(
                pair[0].code < pair[1].code,
                "CODES in order, once: {}",
                pair[1].code
            );
        }
        for c in CODES {
            assert!(
                !c.summary.contains('\n') && !c.summary.ends_with('。'),
                "{}",
                c.code
            );
        }
    }
}

/// A system error as a Chinese message says it: `文件不存在`, not `No such file or
/// directory (os error 2)`; what has no Chinese wording here keeps the system's words,
/// in brackets.
pub fn system_error(e: &std::io::Error) -> String {
    use std::io::ErrorKind;
    let words = match e.kind() {
        ErrorKind::NotFound => "文件不存在",
        ErrorKind::PermissionDenied => "没有权限",
        ErrorKind::AlreadyExists => "文件已存在",
        ErrorKind::IsADirectory => "这是目录，不是文件",
        ErrorKind::NotADirectory => "路径中有一段不是目录",
        ErrorKind::InvalidData => "内容无法读取",
        ErrorKind::StorageFull => "磁盘已满",
        ErrorKind::ReadOnlyFilesystem => "文件系统只读",
        ErrorKind::Interrupted => "读写被中断",
        ErrorKind::UnexpectedEof => "文件意外结束",
        ErrorKind::OutOfMemory => "内存不足",
        ErrorKind::InvalidFilename => "文件名无效",
        ErrorKind::FileTooLarge => "文件过大",
        ErrorKind::ResourceBusy => "文件正被占用",
        _ => return format!("系统错误（{e}）"),
    };
    words.to_string()
}

#[cfg(test)]
mod system_error_tests {
    #[test]
    fn system_errors_are_worded_in_chinese() {
        let e = std::fs::File::open("/nonexistent/hecha/a.yaml").unwrap_err();
        assert_eq!(super::system_error(&e), "文件不存在");
        let other = std::io::Error::other("boom");
        assert_eq!(super::system_error(&other), "系统错误（boom）");
    }
}
