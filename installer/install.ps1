<#
.SYNOPSIS
  Installs OptGuard's native host on Windows and registers it with the browsers.

.DESCRIPTION
  install.ps1 [-BuildDir DIR] [-InstallDir DIR] [-System] [-Uninstall]

  Copies optguard-host.exe and the catalog to InstallDir (default %LOCALAPPDATA%\OptGuard, or
  %ProgramFiles%\OptGuard with -System), writes one host manifest per browser family from
  manifests\*.json.in, and for every browser found writes the registry key
  <key from installer\browsers.tsv>\dev.optguard.host whose default value is the manifest's path
  (HKCU per user, HKLM with -System). Browsers not installed are skipped with a line saying so.
  Everything written is listed in InstallDir\installed-files; -Uninstall removes exactly that.

  The registry keys come from installer\browsers.tsv (rows with os = windows), the one table the
  Linux/macOS installer and `optguard doctor` use too; tests\installer\windows.test.mjs checks those
  rows and the manifests this script writes, on Linux (CI has no Windows).
#>
[CmdletBinding()]
param(
  [string]$BuildDir = (Join-Path $PSScriptRoot '..\build'),
  [string]$InstallDir = '',
  [switch]$System,
  [switch]$Uninstall
)
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$HostName = 'dev.optguard.host'
$Repo = Resolve-Path (Join-Path $PSScriptRoot '..')
$Scope = if ($System) { 'system' } else { 'user' }
if (-not $InstallDir) {
  $InstallDir = if ($System) { Join-Path $env:ProgramFiles 'OptGuard' } else { Join-Path $env:LOCALAPPDATA 'OptGuard' }
}
$Record = Join-Path $InstallDir 'installed-files'

# Rows of installer\browsers.tsv for Windows and this scope.
function Get-BrowserRows {
  Get-Content -LiteralPath (Join-Path $PSScriptRoot 'browsers.tsv') |
    Where-Object { $_ -and -not $_.StartsWith('#') } |
    ForEach-Object {
      $c = $_ -split "`t"
      [pscustomobject]@{ Id = $c[0]; Name = $c[1]; Os = $c[2]; Scope = $c[3]; Template = $c[4]; Key = $c[5]; Probe = $c[6]; Note = $c[7] }
    } |
    Where-Object { $_.Os -eq 'windows' -and $_.Scope -eq $Scope }
}

function Test-BrowserPresent([string]$Probe) {
  foreach ($entry in $Probe -split ',') {
    if (Test-Path -LiteralPath ([Environment]::ExpandEnvironmentVariables($entry))) { return $true }
  }
  return $false
}

# HKCU\Software\... -> Registry::HKEY_CURRENT_USER\Software\...
function ConvertTo-RegistryPath([string]$Key) {
  return 'Registry::' + ($Key -replace '^HKCU\\', 'HKEY_CURRENT_USER\' -replace '^HKLM\\', 'HKEY_LOCAL_MACHINE\')
}

# The extension ids one family's manifests allow, from the table the build staged
# (BuildDir\share\optguard\extension-ids.tsv: installer\extension-ids.tsv as the build used it).
# A row whose id is `-` (a store that has not published OptGuard yet) is left out.
function Get-AllowedIds([string]$Family) {
  $table = Join-Path $BuildDir 'share\optguard\extension-ids.tsv'
  $ids = @()
  foreach ($line in Get-Content -LiteralPath $table) {
    if (-not $line -or $line.StartsWith('#')) { continue }
    $c = $line -split "`t"
    if ($c[0] -ne $Family -or $c[3] -eq '-') { continue }
    if ($Family -eq 'chromium') {
      if ($c[3] -cnotmatch '^[a-p]{32}$') { throw "install.ps1: $($c[1]): a Chromium extension id is 32 letters a-p, got '$($c[3])' ($table)" }
      $ids += "chrome-extension://$($c[3])/"
    } else {
      if ($c[3] -notmatch '^[A-Za-z0-9._@{}+-]+$') { throw "install.ps1: $($c[1]): not a Firefox add-on id: '$($c[3])' ($table)" }
      $ids += $c[3]
    }
  }
  if ($ids.Count -eq 0) { throw "install.ps1: no $Family extension id in $table" }
  return ,$ids
}

# The manifest for one family: the template with the placeholders filled. The host path and the
# id lists go in through ConvertTo-Json, so they are JSON as written (backslashes escaped).
function New-Manifest([string]$Template, [string]$HostPath) {
  $text = Get-Content -Raw -LiteralPath (Join-Path $Repo "manifests\$Template.json.in")
  $text = $text.Replace('"@OPTGUARD_HOST_PATH@"', (ConvertTo-Json -InputObject $HostPath))
  $text = $text.Replace('@OPTGUARD_HOST_NAME@', $HostName)
  $text = $text.Replace('@OPTGUARD_ALLOWED_ORIGINS@', (ConvertTo-Json -InputObject (Get-AllowedIds 'chromium') -Compress))
  return $text.Replace('@OPTGUARD_ALLOWED_EXTENSIONS@', (ConvertTo-Json -InputObject (Get-AllowedIds 'firefox') -Compress))
}

if ($Uninstall) {
  if (-not (Test-Path -LiteralPath $Record)) {
    Write-Output "OptGuard is not installed in $InstallDir (no $Record); nothing to remove."
    exit 0
  }
  foreach ($line in Get-Content -LiteralPath $Record) {
    if ($line.StartsWith('reg:')) {
      $path = ConvertTo-RegistryPath $line.Substring(4)
      if (Test-Path -LiteralPath $path) { Remove-Item -LiteralPath $path -Recurse; Write-Output "removed $($line.Substring(4))" }
    } elseif ($line -and (Test-Path -LiteralPath $line)) {
      Remove-Item -LiteralPath $line -Force; Write-Output "removed $line"
    }
  }
  Remove-Item -LiteralPath $Record -Force
  Write-Output "OptGuard's host is uninstalled. Your verification history stays in %LOCALAPPDATA%\OptGuard\state."
  exit 0
}

$hostExe = Join-Path $BuildDir 'host\optguard-host.exe'
$catalog = Join-Path $BuildDir 'share\optguard\catalog'
if (-not (Test-Path -LiteralPath $hostExe) -or -not (Test-Path -LiteralPath (Join-Path $catalog 'index.json'))) {
  Write-Error "install.ps1: no built host in $BuildDir. Build it first: cmake --preset release; cmake --build --preset release"
  exit 1
}
$written = [System.Collections.Generic.List[string]]::new()
New-Item -ItemType Directory -Force -Path (Join-Path $InstallDir 'share\optguard\catalog'), (Join-Path $InstallDir 'manifests') | Out-Null
$destExe = Join-Path $InstallDir 'optguard-host.exe'
Copy-Item -LiteralPath $hostExe -Destination $destExe -Force
$written.Add($destExe)
foreach ($f in Get-ChildItem -LiteralPath $catalog -Filter '*.json') {
  $dest = Join-Path $InstallDir "share\optguard\catalog\$($f.Name)"
  Copy-Item -LiteralPath $f.FullName -Destination $dest -Force
  $written.Add($dest)
}
Write-Output "installed the host to $destExe"

foreach ($row in Get-BrowserRows) {
  if (-not (Test-BrowserPresent $row.Probe)) {
    Write-Output "skipped $($row.Name): not installed"
    continue
  }
  $manifest = Join-Path $InstallDir "manifests\$HostName.$($row.Template).json"
  $tmp = "$manifest.tmp"
  [System.IO.File]::WriteAllText($tmp, (New-Manifest $row.Template $destExe), [System.Text.UTF8Encoding]::new($false))
  Move-Item -LiteralPath $tmp -Destination $manifest -Force
  $written.Add($manifest)
  $key = "$($row.Key)\$HostName"
  New-Item -Path (ConvertTo-RegistryPath $key) -Force | Out-Null
  Set-Item -Path (ConvertTo-RegistryPath $key) -Value $manifest
  $written.Add("reg:$key")
  Write-Output "registered with $($row.Name): $key = $manifest"
}

$previous = if (Test-Path -LiteralPath $Record) { Get-Content -LiteralPath $Record } else { @() }
($previous + $written) | Sort-Object -Unique | Set-Content -LiteralPath "$Record.tmp" -Encoding utf8
Move-Item -LiteralPath "$Record.tmp" -Destination $Record -Force
