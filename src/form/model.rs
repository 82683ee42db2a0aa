//! GitHub's issue-form schema as typed data.
//!
//! Unknown keys are refused (`deny_unknown_fields`) because GitHub refuses
//! them too: a form that loads here is a form GitHub would render.

use serde::{Deserialize, Deserializer, Serialize};

/// One issue form (`.github/ISSUE_TEMPLATE/*.yml`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IssueForm {
    pub name: String,
    pub description: String,
    /// Prefix prefilled into the issue title, e.g. `[Bug]: `.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(
        default,
        deserialize_with = "string_or_list",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub labels: Vec<String>,
    #[serde(
        default,
        deserialize_with = "string_or_list",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub assignees: Vec<String>,
    #[serde(
        default,
        deserialize_with = "string_or_list",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub projects: Vec<String>,
    /// The issue type GitHub sets on the new issue (`Bug`, `Suggestion`, …).
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub issue_type: Option<String>,
    pub body: Vec<Element>,
}

/// One entry of a form's `body`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase", deny_unknown_fields)]
pub enum Element {
    Markdown {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        id: Option<String>,
        attributes: MarkdownAttributes,
    },
    Input {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        id: Option<String>,
        attributes: TextAttributes,
        #[serde(default, skip_serializing_if = "Validations::is_default")]
        validations: Validations,
    },
    Textarea {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        id: Option<String>,
        attributes: TextareaAttributes,
        #[serde(default, skip_serializing_if = "Validations::is_default")]
        validations: Validations,
    },
    Dropdown {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        id: Option<String>,
        attributes: DropdownAttributes,
        #[serde(default, skip_serializing_if = "Validations::is_default")]
        validations: Validations,
    },
    Checkboxes {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        id: Option<String>,
        attributes: CheckboxesAttributes,
        #[serde(default, skip_serializing_if = "Validations::is_default")]
        validations: Validations,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarkdownAttributes {
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TextAttributes {
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub placeholder: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TextareaAttributes {
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub placeholder: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// Language the answer is fenced as (`shell`, `json`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub render: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DropdownAttributes {
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default)]
    pub multiple: bool,
    pub options: Vec<String>,
    /// Index into `options` preselected by GitHub.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckboxesAttributes {
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub options: Vec<CheckboxOption>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckboxOption {
    pub label: String,
    #[serde(default)]
    pub required: bool,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Validations {
    #[serde(default)]
    pub required: bool,
}

impl Validations {
    fn is_default(&self) -> bool {
        !self.required
    }
}

/// `config.yml` beside the forms.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct FormConfig {
    #[serde(default = "default_true")]
    pub blank_issues_enabled: bool,
    #[serde(default)]
    pub contact_links: Vec<ContactLink>,
}

fn default_true() -> bool {
    true
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactLink {
    pub name: String,
    pub url: String,
    pub about: String,
}

/// GitHub accepts `labels: a, b` as well as a list.
fn string_or_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    Ok(match Option::<OneOrMany>::deserialize(d)? {
        None => Vec::new(),
        Some(OneOrMany::One(s)) => s
            .split(',')
            .map(|l| l.trim().to_string())
            .filter(|l| !l.is_empty())
            .collect(),
        Some(OneOrMany::Many(v)) => v,
    })
}

/// What kind of answer a field takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FieldKind {
    Input,
    Textarea,
    Dropdown,
    Checkboxes,
}

/// A question of the form: every element but markdown, seen uniformly.
#[derive(Debug, Clone, Copy)]
pub struct Field<'a> {
    pub kind: FieldKind,
    pub id: Option<&'a str>,
    pub label: &'a str,
    pub description: Option<&'a str>,
    pub placeholder: Option<&'a str>,
    /// Prefilled text (input, textarea).
    pub value: Option<&'a str>,
    pub required: bool,
    pub render: Option<&'a str>,
    pub multiple: bool,
    pub default: Option<usize>,
    pub dropdown_options: &'a [String],
    pub checkbox_options: &'a [CheckboxOption],
}

impl<'a> Field<'a> {
    /// The key answers are stored under: the id where there is one, else the label.
    pub fn key(&self) -> &'a str {
        self.id.unwrap_or(self.label)
    }

    /// Option labels, whatever the kind.
    pub fn option_labels(&self) -> Vec<&'a str> {
        match self.kind {
            FieldKind::Dropdown => self.dropdown_options.iter().map(String::as_str).collect(),
            FieldKind::Checkboxes => self
                .checkbox_options
                .iter()
                .map(|o| o.label.as_str())
                .collect(),
            _ => Vec::new(),
        }
    }
}

impl Element {
    pub fn id(&self) -> Option<&str> {
        match self {
            Element::Markdown { id, .. }
            | Element::Input { id, .. }
            | Element::Textarea { id, .. }
            | Element::Dropdown { id, .. }
            | Element::Checkboxes { id, .. } => id.as_deref(),
        }
    }

    /// The element as a question, or `None` for markdown.
    pub fn field(&self) -> Option<Field<'_>> {
        let blank = Field {
            kind: FieldKind::Input,
            id: self.id(),
            label: "",
            description: None,
            placeholder: None,
            value: None,
            required: false,
            render: None,
            multiple: false,
            default: None,
            dropdown_options: &[],
            checkbox_options: &[],
        };
        Some(match self {
            Element::Markdown { .. } => return None,
            Element::Input {
                attributes: a,
                validations: v,
                ..
            } => Field {
                label: &a.label,
                description: a.description.as_deref(),
                placeholder: a.placeholder.as_deref(),
                value: a.value.as_deref(),
                required: v.required,
                ..blank
            },
            Element::Textarea {
                attributes: a,
                validations: v,
                ..
            } => Field {
                kind: FieldKind::Textarea,
                label: &a.label,
                description: a.description.as_deref(),
                placeholder: a.placeholder.as_deref(),
                value: a.value.as_deref(),
                required: v.required,
                render: a.render.as_deref(),
                ..blank
            },
            Element::Dropdown {
                attributes: a,
                validations: v,
                ..
            } => Field {
                kind: FieldKind::Dropdown,
                label: &a.label,
                description: a.description.as_deref(),
                required: v.required,
                multiple: a.multiple,
                default: a.default,
                dropdown_options: &a.options,
                ..blank
            },
            Element::Checkboxes {
                attributes: a,
                validations: v,
                ..
            } => Field {
                kind: FieldKind::Checkboxes,
                label: &a.label,
                description: a.description.as_deref(),
                required: v.required || a.options.iter().any(|o| o.required),
                checkbox_options: &a.options,
                ..blank
            },
        })
    }
}

impl IssueForm {
    /// The questions, in form order.
    pub fn fields(&self) -> impl Iterator<Item = Field<'_>> {
        self.body.iter().filter_map(Element::field)
    }

    /// A field by its key (id or label) or, failing that, by label ignoring case.
    pub fn field(&self, key: &str) -> Option<Field<'_>> {
        let key = key.trim();
        self.fields().find(|f| f.key() == key).or_else(|| {
            self.fields()
                .find(|f| f.label.trim().eq_ignore_ascii_case(key) || f.id == Some(key))
        })
    }

    /// The markdown notes shown above the questions.
    pub fn notes(&self) -> impl Iterator<Item = &str> {
        self.body.iter().filter_map(|e| match e {
            Element::Markdown { attributes, .. } => Some(attributes.value.as_str()),
            _ => None,
        })
    }
}
