//! Where the spec root (the azure-rest-api-specs checkout the inputs are read from) comes
//! from: the config's own `spec_root`, else `--spec-root`, else the `AZURE_REST_API_SPECS`
//! environment variable, else the first default folder that exists.

use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, Diagnostics, Location};
use crate::load::normalize;

/// Where the spec root came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SpecRootSource {
    /// The config's `spec_root` key (a self-contained config, such as a test fixture).
    Config,
    /// `--spec-root`.
    Flag,
    /// The `AZURE_REST_API_SPECS` environment variable.
    Environment,
    /// A checkout found at one of the default places.
    Default,
}

/// How to find the spec root when the config does not name one: `--spec-root`, else the
/// `AZURE_REST_API_SPECS` environment variable, else the first default folder that exists.
#[derive(Clone, Debug, Default)]
pub struct SpecRootChoice {
    pub flag: Option<PathBuf>,
    pub environment: Option<PathBuf>,
    pub defaults: Vec<PathBuf>,
}

impl SpecRootChoice {
    pub const ENVIRONMENT_VARIABLE: &str = "AZURE_REST_API_SPECS";

    /// The environment variable, and the default places beside `repository` (the root of
    /// this repository, when known): `../azure-rest-api-specs`, then the CI layout's
    /// `../shared/azure-rest-api-specs`.
    pub fn from_environment(repository: Option<&Path>) -> Self {
        let environment = std::env::var_os(Self::ENVIRONMENT_VARIABLE)
            .filter(|value| !value.is_empty())
            .map(PathBuf::from);
        let defaults = repository
            .map(|repository| {
                let parent = repository.join("..");
                vec![
                    normalize(&parent.join("azure-rest-api-specs")),
                    normalize(&parent.join("shared").join("azure-rest-api-specs")),
                ]
            })
            .unwrap_or_default();
        SpecRootChoice {
            flag: None,
            environment,
            defaults,
        }
    }

    /// The spec root, or a message that says exactly how to give one.
    pub fn choose(&self) -> Result<(PathBuf, SpecRootSource), String> {
        if let Some(flag) = &self.flag {
            return if flag.is_dir() {
                Ok((flag.clone(), SpecRootSource::Flag))
            } else {
                Err(format!("--spec-root {} is not a folder", flag.display()))
            };
        }
        if let Some(environment) = &self.environment {
            return if environment.is_dir() {
                Ok((environment.clone(), SpecRootSource::Environment))
            } else {
                Err(format!(
                    "{}={} is not a folder",
                    Self::ENVIRONMENT_VARIABLE,
                    environment.display()
                ))
            };
        }
        match self.defaults.iter().find(|d| d.is_dir()) {
            Some(found) => Ok((found.clone(), SpecRootSource::Default)),
            None => Err(self.how_to_give_one()),
        }
    }

    fn how_to_give_one(&self) -> String {
        let mut text = format!(
            "no spec root: the config names its inputs by their path inside azure-rest-api-specs, and no checkout of it was given.\n  Give one with `cargo xtask codegen --spec-root <path of an azure-rest-api-specs checkout>`, or set the environment variable {}=<path>",
            Self::ENVIRONMENT_VARIABLE
        );
        if let Some(first) = self.defaults.first() {
            text.push_str(&format!(
                ", or clone https://github.com/Azure/azure-rest-api-specs to {}",
                first.display()
            ));
        }
        text
    }
}

/// The config's own `spec_root`, or the one `choice` finds.
pub(super) fn choose_spec_root(
    configured: Option<&Path>,
    base: &Path,
    choice: &SpecRootChoice,
    at: &impl Fn(&str) -> Location,
    problems: &mut Diagnostics,
) -> (PathBuf, SpecRootSource) {
    if let Some(root) = configured {
        return (normalize(&base.join(root)), SpecRootSource::Config);
    }
    choice.choose().unwrap_or_else(|message| {
        problems.push(Diagnostic::error(at(""), message).help(
            "or name a folder with the config's `spec_root` key (relative to the config file)",
        ));
        (PathBuf::new(), SpecRootSource::Default)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_spec_root_comes_from_the_flag_then_the_environment_then_the_defaults() {
        let here = std::env::temp_dir();
        let missing = here.join("no-such-spec-root-folder");
        let choice = |flag: Option<&Path>, environment: Option<&Path>, defaults: &[&Path]| {
            SpecRootChoice {
                flag: flag.map(Path::to_path_buf),
                environment: environment.map(Path::to_path_buf),
                defaults: defaults.iter().map(|d| d.to_path_buf()).collect(),
            }
            .choose()
        };
        let flag = choice(Some(&here), Some(&missing), &[]).expect("the flag wins");
        assert_eq!(flag.1, SpecRootSource::Flag);
        let environment = choice(None, Some(&here), &[&missing]).expect("then the variable");
        assert_eq!(environment.1, SpecRootSource::Environment);
        let default = choice(None, None, &[&missing, &here]).expect("then a default");
        assert_eq!(default, (here.clone(), SpecRootSource::Default));
        let none = choice(None, None, &[&missing]).unwrap_err();
        assert!(none.contains("--spec-root"), "{none}");
        assert!(none.contains("AZURE_REST_API_SPECS="), "{none}");
        assert!(
            none.contains("clone https://github.com/Azure/azure-rest-api-specs"),
            "{none}"
        );
        let bad = choice(None, Some(&missing), &[&here]).unwrap_err();
        assert!(bad.contains("is not a folder"), "{bad}");
    }
}
