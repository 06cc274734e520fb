# Build Lumbung-Setup-<version>.exe on Windows: venv, PyInstaller bundle, smoke test, Inno Setup.
#
#   powershell -ExecutionPolicy Bypass -File installer\windows\build.ps1
#   powershell -ExecutionPolicy Bypass -File installer\windows\build.ps1 -Python "py -3.11" -SkipInstaller
#
# Needs: Python 3.11+ (64-bit) and Inno Setup 6.3+ (iscc.exe). See installer\windows\README.md.
[CmdletBinding()]
param(
    [string]$Python = "py -3.11",
    [string]$Venv = ".venv-build",
    [string]$Iscc = "",
    [switch]$SkipInstaller,
    [switch]$SkipSmokeTest
)

$ErrorActionPreference = "Stop"
$Root = (Resolve-Path (Join-Path $PSScriptRoot "..\..")).Path
Set-Location $Root

function Invoke-Checked {
    param([string]$Exe, [string[]]$Arguments)
    & $Exe @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$Exe $($Arguments -join ' ') failed ($LASTEXITCODE)" }
}

# 1. A clean virtual environment with Lumbung and PyInstaller.
$VenvPython = Join-Path $Root "$Venv\Scripts\python.exe"
if (-not (Test-Path $VenvPython)) {
    Write-Host "Creating $Venv with $Python"
    $parts = $Python.Split(" ")
    $pyArgs = @()
    if ($parts.Length -gt 1) { $pyArgs = $parts[1..($parts.Length - 1)] }
    Invoke-Checked $parts[0] ($pyArgs + @("-m", "venv", $Venv))
}
Invoke-Checked $VenvPython @("-m", "pip", "install", "-q", "--upgrade", "pip")
Invoke-Checked $VenvPython @("-m", "pip", "install", "-q", "-e", ".[build]")
& $VenvPython -c "import PyInstaller" 2>$null
if ($LASTEXITCODE -ne 0) {  # pyproject without the `build` extra yet
    Invoke-Checked $VenvPython @("-m", "pip", "install", "-q", "pyinstaller>=6.10")
}

$Version = (& $VenvPython -c "import app; print(app.__version__)").Trim()
Write-Host "Lumbung $Version"

# 2. The one-folder bundle: dist\Lumbung\lumbung.exe (windowed), lumbung-cli.exe (console).
$Dist = Join-Path $Root "dist"
$Work = Join-Path $Root "build"
$watch = [Diagnostics.Stopwatch]::StartNew()
Invoke-Checked $VenvPython @("-m", "PyInstaller", "--noconfirm", "--clean",
    "--distpath", $Dist, "--workpath", $Work, "installer\lumbung.spec")
$watch.Stop()
$Bundle = Join-Path $Dist "Lumbung"
$size = (Get-ChildItem $Bundle -Recurse -File | Measure-Object Length -Sum).Sum / 1MB
Write-Host ("Bundle built in {0:N0} s, {1:N0} MB" -f $watch.Elapsed.TotalSeconds, $size)

# 3. Smoke test on a throw-away book (never the user's own).
if (-not $SkipSmokeTest) {
    $Cli = Join-Path $Bundle "lumbung-cli.exe"
    $out = (& $Cli --version).Trim()
    if ($out -ne "Lumbung $Version") { throw "lumbung-cli --version said '$out'" }
    $Demo = Join-Path $env:TEMP "lumbung-build-demo.sqlite"
    Remove-Item "$Demo*" -ErrorAction SilentlyContinue
    Invoke-Checked $Cli @("--db", $Demo, "demo", "--members", "20", "--years", "1")
    Invoke-Checked $Cli @("--db", $Demo, "check")
    $env:LUMBUNG_QUIT_AFTER_MS = "3000"
    $p = Start-Process -FilePath (Join-Path $Bundle "lumbung.exe") -ArgumentList @("--db", "`"$Demo`"") -PassThru
    $null = $p.Handle  # keeps ExitCode readable after the process ends
    Remove-Item Env:\LUMBUNG_QUIT_AFTER_MS
    if (-not $p.WaitForExit(90000)) {  # a message box (a bug) would wait forever
        $p.Kill()
        throw "lumbung.exe (window) did not quit by itself; see the log in $env:LOCALAPPDATA\Lumbung\Logs"
    }
    if ($p.ExitCode -ne 0) { throw "lumbung.exe (window) exited $($p.ExitCode)" }
    Remove-Item "$Demo*" -ErrorAction SilentlyContinue
    Write-Host "Smoke test passed: --version, demo, check, window"
}

# 4. The installer: dist\Lumbung-Setup-<version>.exe
if (-not $SkipInstaller) {
    if (-not $Iscc) {
        $candidates = @(
            (Get-Command iscc.exe -ErrorAction SilentlyContinue | Select-Object -ExpandProperty Source),
            "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe",
            "$env:ProgramFiles\Inno Setup 6\ISCC.exe",
            "$env:LOCALAPPDATA\Programs\Inno Setup 6\ISCC.exe"
        ) | Where-Object { $_ -and (Test-Path $_) }
        if (-not $candidates) { throw "Inno Setup 6 (ISCC.exe) not found: install it or pass -Iscc PATH" }
        $Iscc = @($candidates)[0]
    }
    Invoke-Checked $Iscc @("/Qp", "/DAppVersion=$Version", "/DSourceDir=$Bundle", "/DOutputDir=$Dist",
        "installer\windows\lumbung.iss")
    $Setup = Join-Path $Dist "Lumbung-Setup-$Version.exe"
    Write-Host ("{0} ({1:N0} MB)" -f $Setup, ((Get-Item $Setup).Length / 1MB))
}
