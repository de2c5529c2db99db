import EdupipeStandard

/// What each error code means and how a clerk fixes it, for the format
/// guide. The codes are the standard's (section 2), the same for every plan.
extension IssueCode {
    public func help(_ l: Language) -> (meaning: String, fix: String) {
        let zh = l == .zh
        switch self {
        case .filename: return zh ? ("文件名不符合格式", "按第 1 节改名，如 `110101_class_size_2023-autumn.csv`；不要加“(1)”“副本”等") : ("the name does not follow the form", "rename as in section 1, e.g. `110101_class_size_2023-autumn.csv`; no \"(1)\" or \"copy\"")
        case .gzip: return zh ? ("gzip 压缩包损坏或不完整", "重新压缩或直接上传未压缩的文件") : ("the gzip stream is corrupt or cut short", "compress again, or upload the file uncompressed")
        case .tooLarge: return zh ? ("解压后超过大小上限", "确认文件正确；必要时拆分") : ("larger than the limit once decompressed", "check it is the right file; split it if needed")
        case .encoding: return zh ? ("文字编码无法识别", "另存为“CSV UTF-8”或“CSV（逗号分隔）”；XML 的声明要与实际编码一致") : ("the text does not decode", "save as \"CSV UTF-8\" or \"CSV (Comma delimited)\"; an XML declaration must name the real encoding")
        case .csvSyntax: return zh ? ("CSV 格式错误（引号未闭合、只用 CR 作行尾等）", "补上引号；另存为“CSV UTF-8”") : ("CSV syntax (a quote left open, CR-only line ends...)", "close the quote; save as \"CSV UTF-8\"")
        case .xmlSyntax: return zh ? ("XML 格式错误", "按报错的行号检查标签是否成对、特殊字符是否转义") : ("the XML is not well-formed", "at the line named, check tags are closed and special characters escaped")
        case .xmlDTD: return zh ? ("XML 含 DOCTYPE", "删除 `<!DOCTYPE …>`") : ("the XML has a DOCTYPE", "remove `<!DOCTYPE ...>`")
        case .header: return zh ? ("缺少必需的列、列名重复或没有列名行", "第一行写全列名（可用 `edupipe template` 生成）") : ("a required column is missing or repeated, or there is no header", "write every column name on the first line (`edupipe template` writes it)")
        case .metadata: return zh ? ("XML 根元素的 dataset/county/period 与文件名不符", "改成与文件名一致") : ("the XML root's dataset, county or period differs from the file name", "make them agree with the file name")
        case .empty: return zh ? ("文件没有记录", "至少填写一条记录") : ("the file has no records", "list at least one record")
        case .outOfScope: return zh ? ("该县不属于本次处理的范围（--scope）", "交给该县所属的省级或地市级教育数据机构") : ("the county lies outside the unit this run covers (--scope)", "send it to the office of the county's own province or prefecture")
        case .unknownCounty: return zh ? ("县级代码不在区划表中或不是县级", "使用本县 6 位县级代码") : ("the county code is not a county-level unit of the registry", "use your county's 6-digit code")
        case .revisionConflict: return zh ? ("同一修订号有两个内容不同的文件", "以新的修订号重新上传正确的文件") : ("two files of one revision hold different records", "upload the right one as a new revision")
        case .required: return zh ? ("必填项为空", "填写该列") : ("a required value is missing", "fill the column in")
        case .type: return zh ? ("值的类型不对（如不是整数、不是有效日期）", "按第 3 节的类型填写；在 Excel 中把该列设为“文本”") : ("a value is not of its type (not a whole number, not a real date...)", "write it as section 3 says; format the column as Text in Excel")
        case .range: return zh ? ("值超出允许范围", "按第 3 节的范围填写") : ("a value is outside its range", "keep it within the range of section 3")
        case .enumeration: return zh ? ("不是允许的取值", "从第 3 节列出的取值中选一个，注意大小写") : ("not one of the allowed words", "write one of the words of section 3, in lower case")
        case .duplicateKey: return zh ? ("同一对象出现两次", "删去重复的记录") : ("the same key appears twice", "remove the repeated record")
        case .countyMismatch: return zh ? ("记录的县级代码与文件名不同", "每条记录填写文件名中的县级代码") : ("a record's county differs from the file name's", "every record carries the county of the file name")
        case .checksum: return zh ? ("身份证号校验码不对", "按户口簿重新录入") : ("a resident ID's check character is wrong", "copy the ID again from the household register")
        case .rule: return zh ? ("违反字段之间的规则", "按第 3 节的规则改正") : ("a rule between fields is broken", "fix it as the rules of section 3 say")
        case .fieldCount: return zh ? ("该行的列数与列名行不同", "检查多余或缺少的逗号；含逗号的值加引号") : ("the record has another number of fields than the header", "look for a missing or extra comma; quote values that contain commas")
        case .unreadable: return zh ? ("文件无法读取", "重新上传") : ("the file cannot be read", "upload it again")
        case .readerCrash: return zh ? ("读取该文件时程序出错，已暂时搁置", "联系数据办公室") : ("reading the file stopped edupipe; it was set aside", "tell the data office")
        case .unknownColumn: return zh ? ("多余的列（已忽略）", "可删去") : ("an unknown column (ignored)", "may be removed")
        case .unknownElement: return zh ? ("多余的 XML 元素（已忽略）", "可删去") : ("an unknown XML element (ignored)", "may be removed")
        case .errorsNotListed: return zh ? ("错误太多，只列出一部分", "先改正已列出的错误") : ("too many errors: only some are listed", "fix those listed first")
        }
    }
}
