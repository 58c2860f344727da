@echo off
rem Usage: build.cmd [build|test|soak|demo|bench|pack|clean|restore|fsicheck]   (default: build)
setlocal
cd /d "%~dp0"
set target=%1
if "%target%"=="" set target=build
if /i "%target%"=="build" set target=Build
if /i "%target%"=="test" set target=Test
if /i "%target%"=="soak" set target=Soak
if /i "%target%"=="demo" set target=Demo
if /i "%target%"=="bench" set target=Bench
if /i "%target%"=="pack" set target=Pack
if /i "%target%"=="clean" set target=Clean
if /i "%target%"=="restore" set target=Restore
if /i "%target%"=="fsicheck" set target=FsiCheck
dotnet tool restore || exit /b 1
dotnet paket restore || exit /b 1
if not exist .paket\load\net10.0\Build\build.group.fsx dotnet paket generate-load-scripts -g Build -f net10.0 -t fsx || exit /b 1
dotnet fsi build.fsx -t %target%
