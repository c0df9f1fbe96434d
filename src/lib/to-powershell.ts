/**
 * A bulletin to a PowerShell script (`/downloads/verify/{id}.ps1`) that checks a Windows
 * host for the update: each registry key the update creates, each installed file's
 * version, and a pass/fail verdict per platform. Read-only, no network access.
 *
 * Safety: the script is code built from content written by many hands. Every fact goes
 * in as a single-quoted PowerShell literal, where nothing is interpolated (`$(...)`,
 * `$var` and backticks are plain characters); the only way out of such a literal is a
 * quote, and every quote character PowerShell recognises (' and the typographic ‘ ’ ‚ ‛)
 * is doubled. Facts never go into comments (a `#>` would end the help block), only the
 * bulletin id and KB numbers, whose formats the schema restricts to letters, digits and
 * hyphens.
 *
 * The file is UTF-8 with a BOM and CRLF line ends: Windows PowerShell 5.1 reads a script
 * without a BOM in the ANSI code page (Shift_JIS on a Japanese Windows).
 */
import type { Bulletin } from '../../schemas/index.ts';
import { pick } from './export-labels.ts';
import { productLabel, updateUnits } from './update-units.ts';
import { absoluteUrl, paths } from './urls.ts';

/** A string as a PowerShell single-quoted literal; nothing inside it is ever evaluated. */
export function psLiteral(value: string): string {
  // NUL has no place in a path or a title and some hosts treat it as end of input.
  return `'${value.replace(/\u0000/g, '\uFFFD').replace(/['\u2018\u2019\u201A\u201B]/g, (quote) => quote + quote)}'`;
}

/**
 * Folder variables that are not environment variables, and where the product records
 * them. `%EXSRVROOT%` is the Exchange install folder, kept by Exchange Setup in
 * `HKLM\SOFTWARE\Microsoft\Exchange\Setup`, value `Services` (Exchange 4.0 to 2003).
 */
export const KNOWN_FOLDER_VARIABLES: Record<string, { key: string; value: string }> = {
  EXSRVROOT: { key: 'HKLM:\\SOFTWARE\\Microsoft\\Exchange\\Setup', value: 'Services' },
};

const SAFE_IN_COMMENT = /^[A-Za-z0-9-]+$/;

function commentSafe(value: string): string {
  if (!SAFE_IN_COMMENT.test(value)) throw new Error(`${JSON.stringify(value)} cannot go into a script comment`);
  return value;
}

/** Registry paths another source gives for a key (from `discrepancies`), by `{unit field}.registry_keys[{i}]`. */
function alternativeKeys(bulletin: Bulletin): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const d of bulletin.discrepancies) {
    const match = /^((?:packages|affected)\[\d+\]\.registry_keys\[\d+\])\.path$/.exec(d.field);
    if (!match) continue;
    out.set(match[1]!, [...(out.get(match[1]!) ?? []), d.other_value]);
  }
  return out;
}

/** The verification script for one bulletin. */
export function toVerifyScript(bulletin: Bulletin): string {
  const id = commentSafe(bulletin.id);
  const kbs = bulletin.kb.map((n) => commentSafe(`KB${n}`));
  const title = bulletin.text.en?.title ?? bulletin.text.ja?.title ?? '';
  const titleJa = bulletin.text.ja?.title ?? '';
  const alternatives = alternativeKeys(bulletin);

  const units = updateUnits(bulletin).filter((unit) => unit.files.length > 0 || unit.registry_keys.length > 0);
  const platforms = units.map((unit) => {
    const keys = unit.registry_keys.map((k, ki) => {
      const alts = (alternatives.get(`${unit.field}.registry_keys[${ki}]`) ?? []).map((path) => psLiteral(`${k.hive}\\${path}`));
      return [
        `      @{ Key = ${psLiteral(`${k.hive}\\${k.path}`)}; Alternatives = @(${alts.join(', ')})`,
        `ValueName = ${psLiteral(k.value?.name ?? '')}; ValueType = ${psLiteral(k.value?.type ?? '')}; ValueData = ${psLiteral(k.value === undefined ? '' : String(k.value.data))}`,
        `Note = ${psLiteral(pick(k.note, 'en') ?? '')} }`,
      ].join('; ');
    });
    const files = unit.files.map(
      (f) =>
        `      @{ Folder = ${psLiteral(f.folder ?? '')}; Name = ${psLiteral(f.name)}; Version = ${psLiteral(f.version ?? '')}; Size = ${psLiteral(String(f.size))}; Branch = ${psLiteral(f.branch ?? '')}; Optional = ${psLiteral(f.installer_helper ? 'yes' : 'no')} }`,
    );
    return [
      '  @{',
      `    Id = ${psLiteral(unit.platform)}`,
      `    Name = ${psLiteral(unit.label)}`,
      `    Package = ${psLiteral(unit.package?.file_name ?? '')}`,
      `    RegistryKeys = @(`,
      ...joinItems(keys),
      '    )',
      `    Files = @(`,
      ...joinItems(files),
      '    )',
      '  }',
    ].join(NL);
  });
  // Affected products with nothing to check on a host (no files, no keys); the script says so.
  const checked = new Set(units.map((unit) => unit.platform));
  const unchecked = bulletin.affected.filter((p) => !checked.has(p.id)).map((p) => psLiteral(productLabel(p)));
  const advisory = bulletin.references.find((r) => r.kind === 'vendor-advisory')?.url ?? '';
  const known = Object.entries(KNOWN_FOLDER_VARIABLES).map(
    ([name, where]) => `  ${psLiteral(name)} = @{ Key = ${psLiteral(where.key)}; Value = ${psLiteral(where.value)} }`,
  );

  const script = crlf`<#
.SYNOPSIS
Checks whether this host has the update of ${id}${kbs.length ? ` (${kbs.join(', ')})` : ''} installed.

.DESCRIPTION
Generated by bulletin-kb from the facts of ${id}. For each platform the bulletin
covers, it checks that the registry keys the update creates exist and that each file
the update installs is in its folder with the version the update ships or a newer
one, then prints PASS, FAIL, UNKNOWN or NOT FOUND for the platform.

It only reads the registry and the file system: it changes nothing and makes no
network connection.

Folders such as %EXSRVROOT%\\bin are resolved from -Variables, then the process
environment, then the registry for product folders the script knows. When a folder
cannot be resolved the script says so and the file checks in it are UNKNOWN; give the
folder with -Variables and run it again.

.PARAMETER Variables
Folder variables to use instead of looking them up, e.g. @{ EXSRVROOT = 'D:\\exchsrvr' }.

.PARAMETER PassThru
Also write one object per check to the pipeline (for Export-Csv or ConvertTo-Json).

.EXAMPLE
powershell -NoProfile -ExecutionPolicy Bypass -File .\\${id.toLowerCase()}.ps1

.EXAMPLE
.\\${id.toLowerCase()}.ps1 -Variables @{ EXSRVROOT = 'D:\\exchsrvr' } -PassThru | Export-Csv result.csv -NoTypeInformation

.NOTES
Exit code 0: every platform found on this host passes (or none is installed).
Exit code 1: a platform fails. Exit code 2: nothing failed, but a check could not run,
or a platform whose only check is a registry key was not found (this host may run that
product without the update).
Runs on Windows PowerShell 2.0 and later.
#>
[CmdletBinding()]
param(
  [hashtable] $Variables = @{},
  [switch] $PassThru
)
Set-StrictMode -Version 2.0

$Bulletin = ${psLiteral(bulletin.id)}
$Title = ${psLiteral(title)}
$TitleJa = ${psLiteral(titleJa)}
$Source = ${psLiteral(absoluteUrl(paths.apiBulletin(bulletin.id)))}

$Platforms = @(
${platforms.join(`,${NL}`)}
)

$Unchecked = @(${unchecked.join(', ')})
$Advisory = ${psLiteral(advisory)}

$KnownFolderVariables = @{
${known.join(NL)}
}

$Results = New-Object System.Collections.ArrayList
$StatusColors = @{ 'PASS' = 'Green'; 'FAIL' = 'Red'; 'UNKNOWN' = 'Yellow'; 'INFO' = 'Gray'; 'NOT FOUND' = 'Gray' }

function Add-Result {
  param([string] $Platform, [string] $Check, [string] $Item, [string] $Expected, [string] $Found, [string] $Status, [string] $Detail)
  $result = New-Object PSObject
  foreach ($pair in @(@('Bulletin', $Bulletin), @('Platform', $Platform), @('Check', $Check), @('Item', $Item), @('Expected', $Expected), @('Found', $Found), @('Status', $Status), @('Detail', $Detail))) {
    Add-Member -InputObject $result -MemberType NoteProperty -Name $pair[0] -Value $pair[1]
  }
  [void] $Results.Add($result)
  Write-Host ('  [{0}] {1}: {2}' -f $Status, $Check, $Item) -ForegroundColor $StatusColors[$Status]
  if ($Detail) { Write-Host ('         {0}' -f $Detail) }
}

# True when the key exists in the registry view this PowerShell sees, or in the 32-bit
# view under Wow6432Node (32-bit products on 64-bit Windows).
function Find-RegistryKey {
  param([string] $Key)
  if (Test-Path -LiteralPath ('Registry::' + $Key)) { return $Key }
  $wow = $Key -replace '^(HKEY_LOCAL_MACHINE\\\\SOFTWARE)\\\\', '$1\\Wow6432Node\\'
  if ($wow -ne $Key -and (Test-Path -LiteralPath ('Registry::' + $wow))) { return $wow }
  return $null
}

# Expands %NAME% variables in a folder; reports the ones it cannot resolve.
function Resolve-Folder {
  param([string] $Folder)
  $path = $Folder
  $missing = @()
  $sources = @()
  foreach ($match in [regex]::Matches($Folder, '%([^%]+)%')) {
    $name = $match.Groups[1].Value
    $value = $null
    $from = $null
    if ($Variables.ContainsKey($name) -and $Variables[$name]) { $value = [string] $Variables[$name]; $from = '-Variables' }
    if (-not $value) {
      $value = [Environment]::GetEnvironmentVariable($name)
      if ($value) { $from = 'environment' }
    }
    if (-not $value -and $KnownFolderVariables.ContainsKey($name)) {
      $where = $KnownFolderVariables[$name]
      $item = Get-ItemProperty -LiteralPath $where.Key -Name $where.Value -ErrorAction SilentlyContinue
      if ($item) {
        $value = [string] $item.($where.Value)
        $from = 'registry ' + $where.Key + ' value ' + $where.Value
      }
    }
    if ($value) {
      $path = $path.Replace($match.Value, $value.TrimEnd('\\'))
      $sources += ('%' + $name + '% = ' + $value + ' (' + $from + ')')
    } else {
      $missing += $name
    }
  }
  New-Object PSObject -Property @{ Path = $path; Missing = $missing; Sources = $sources }
}

# File version from the version resource's numbers (the text form may carry extra words).
function Get-FileVersionText {
  param([string] $Path)
  $info = [System.Diagnostics.FileVersionInfo]::GetVersionInfo($Path)
  if (($info.FileMajorPart + $info.FileMinorPart + $info.FileBuildPart + $info.FilePrivatePart) -eq 0) { return $null }
  return ('{0}.{1}.{2}.{3}' -f $info.FileMajorPart, $info.FileMinorPart, $info.FileBuildPart, $info.FilePrivatePart)
}

# Compares dotted versions number by number; missing parts count as 0.
function Compare-Version {
  param([string] $A, [string] $B)
  $pa = $A.Split('.')
  $pb = $B.Split('.')
  for ($i = 0; $i -lt [Math]::Max($pa.Length, $pb.Length); $i++) {
    $x = 0
    $y = 0
    if ($i -lt $pa.Length) { $x = [long] $pa[$i] }
    if ($i -lt $pb.Length) { $y = [long] $pb[$i] }
    if ($x -lt $y) { return -1 }
    if ($x -gt $y) { return 1 }
  }
  return 0
}

Write-Host ('{0}: {1}' -f $Bulletin, $Title)
if ($TitleJa -and $TitleJa -ne $Title) { Write-Host $TitleJa }
Write-Host ('Facts: {0}' -f $Source)

$Verdicts = @()
foreach ($platform in $Platforms) {
  Write-Host ''
  if ($platform.Package) { Write-Host ('== {0} ({1})' -f $platform.Name, $platform.Package) } else { Write-Host ('== {0}' -f $platform.Name) }
  $evidence = $false
  $failed = $false
  $unknown = $false
  $unresolved = @()
  $noFolder = 0
  $filesLookedFor = 0

  foreach ($key in $platform.RegistryKeys) {
    $hit = $null
    foreach ($candidate in (@($key.Key) + @($key.Alternatives))) {
      if (-not $hit) { $hit = Find-RegistryKey $candidate }
    }
    if (-not $hit) {
      $failed = $true
      Add-Result $platform.Name 'registry key' $key.Key 'present' 'missing' 'FAIL' $key.Note
      continue
    }
    $evidence = $true
    $detail = ''
    if ($hit -ne $key.Key) { $detail = 'found under another name the sources give: ' + $hit }
    if (-not $key.ValueName) {
      Add-Result $platform.Name 'registry key' $key.Key 'present' 'present' 'PASS' $detail
      continue
    }
    $expected = $key.ValueName + ' (' + $key.ValueType + ') = ' + $key.ValueData
    $values = Get-ItemProperty -LiteralPath ('Registry::' + $hit) -Name $key.ValueName -ErrorAction SilentlyContinue
    if (-not $values) {
      $failed = $true
      Add-Result $platform.Name 'registry value' $key.Key $expected 'missing' 'FAIL' $detail
    } elseif ([string] $values.($key.ValueName) -eq $key.ValueData) {
      Add-Result $platform.Name 'registry value' $key.Key $expected ([string] $values.($key.ValueName)) 'PASS' $detail
    } else {
      $failed = $true
      Add-Result $platform.Name 'registry value' $key.Key $expected ([string] $values.($key.ValueName)) 'FAIL' $detail
    }
  }

  foreach ($file in $platform.Files) {
    $item = $file.Name
    if ($file.Branch) { $item = $item + ' [' + $file.Branch + ']' }
    if (-not $file.Folder) {
      $noFolder += 1
      Add-Result $platform.Name 'file version' $item $file.Version '' 'INFO' 'the bulletin gives no folder for this file, so it is not checked; compare it by hand with the version shown'
      continue
    }
    $folder = Resolve-Folder $file.Folder
    $item = $file.Folder + '\\' + $file.Name
    if ($folder.Missing.Count -gt 0) {
      $unknown = $true
      foreach ($name in $folder.Missing) { if ($unresolved -notcontains $name) { $unresolved += $name } }
      Add-Result $platform.Name 'file version' $item $file.Version '' 'UNKNOWN' ('cannot resolve %' + ($folder.Missing -join '%, %') + '%: run again with -Variables @{ ' + $folder.Missing[0] + " = 'folder' }")
      continue
    }
    $path = Join-Path $folder.Path $file.Name
    if ($file.Optional -ne 'yes') { $filesLookedFor += 1 }
    if (-not (Test-Path -LiteralPath $path -PathType Leaf)) {
      if ($file.Optional -eq 'yes') {
        Add-Result $platform.Name 'file version' $path $file.Version 'absent' 'INFO' 'installer helper: it may not be installed, so its absence is not a failure'
      } else {
        $failed = $true
        Add-Result $platform.Name 'file version' $path $file.Version 'absent' 'FAIL' ($folder.Sources -join '; ')
      }
      continue
    }
    $evidence = $true
    if ($file.Version) {
      $found = Get-FileVersionText $path
      if (-not $found) {
        $unknown = $true
        Add-Result $platform.Name 'file version' $path $file.Version 'no version resource' 'UNKNOWN' ''
      } elseif ((Compare-Version $found $file.Version) -ge 0) {
        Add-Result $platform.Name 'file version' $path $file.Version $found 'PASS' ''
      } elseif ($file.Optional -eq 'yes') {
        Add-Result $platform.Name 'file version' $path $file.Version $found 'INFO' 'installer helper: older copy left by another installer'
      } else {
        $failed = $true
        Add-Result $platform.Name 'file version' $path $file.Version $found 'FAIL' 'older than the version this update installs'
      }
    } else {
      $size = (Get-Item -LiteralPath $path).Length
      $status = 'PASS'
      $detail = 'the vendor lists no version; size matches'
      if ($size -ne [long] $file.Size) { $status = 'INFO'; $detail = 'the vendor lists no version; size differs (a later update may have replaced the file)' }
      Add-Result $platform.Name 'file size' $path $file.Size ([string] $size) $status $detail
    }
  }

  $ambiguous = $false
  if (-not $evidence) {
    $verdict = 'NOT FOUND'
    if ($filesLookedFor -gt 0) {
      $note = 'none of its registry keys or files are on this host: the product does not seem to be installed'
    } else {
      # Only registry keys could be checked: a missing key cannot tell "other product" from "not updated".
      $ambiguous = $true
      $note = 'its registry key is missing and no file could be checked: either this host does not run ' + $platform.Name + ', or the update is not installed'
    }
    if ($unresolved.Count -gt 0) {
      $note += ('; %' + ($unresolved -join '%, %') + '% could not be resolved: if the product is installed, run again with -Variables')
    }
  } elseif ($failed) {
    $verdict = 'FAIL'
    $note = 'the update is missing or incomplete'
  } elseif ($unknown) {
    $verdict = 'UNKNOWN'
    $note = 'some checks could not run'
  } else {
    $verdict = 'PASS'
    $note = 'the update is installed'
  }
  if ($noFolder -gt 0 -and $evidence) { $note += ('; ' + $noFolder + ' file(s) without a folder were not checked') }
  $Verdicts += (New-Object PSObject -Property @{ Platform = $platform.Name; Verdict = $verdict; Note = $note; Ambiguous = $ambiguous })
}

Write-Host ''
Write-Host ('Result for {0}:' -f $Bulletin)
$exitCode = 0
foreach ($v in $Verdicts) {
  Write-Host ('  {0,-9} {1}: {2}' -f $v.Verdict, $v.Platform, $v.Note) -ForegroundColor $StatusColors[$v.Verdict]
  if ($v.Verdict -eq 'FAIL') { $exitCode = 1 }
  elseif ($exitCode -eq 0 -and ($v.Verdict -eq 'UNKNOWN' -or $v.Ambiguous)) { $exitCode = 2 }
}
foreach ($name in $Unchecked) {
  $where = 'see the vendor advisory'
  if ($Advisory) { $where = 'see ' + $Advisory }
  Write-Host ('  {0,-9} {1}: this bulletin lists no file or registry key to check for it; {2}' -f 'NOT CHECKED', $name, $where) -ForegroundColor Yellow
}
if ($Verdicts.Count -eq 0) { Write-Host '  (this bulletin lists no update package to check)' }

if ($PassThru) { $Results | Select-Object Bulletin, Platform, Check, Item, Expected, Found, Status, Detail }
exit $exitCode
`;
  return `\uFEFF${script}`;
}

const NL = '\r\n';

/**
 * Template tag that writes the template's own line ends as CRLF but leaves interpolated
 * values alone, so a fact that contains a line break keeps it exactly.
 */
function crlf(strings: TemplateStringsArray, ...values: unknown[]): string {
  let out = '';
  strings.forEach((part, i) => {
    out += part.replace(/\n/g, NL);
    if (i < values.length) out += String(values[i]);
  });
  return out;
}

/** Array items separated by commas on their own lines (PowerShell 2.0 reads either form). */
function joinItems(items: string[]): string[] {
  return items.map((item, i) => (i < items.length - 1 ? `${item},` : item));
}
