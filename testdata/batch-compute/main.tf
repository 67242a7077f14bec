# AWS Batch: the instances and Fargate tasks that run jobs are workloads in each subnet of
# their compute environment.
#
# - `gpu` runs EC2 instances in the public subnets from a launch template whose group opens
#   SSH to the world, and the subnets give public addresses: the instances are reachable.
# - `etl` runs Fargate jobs in the private subnets with group `etl`, which the database admits.
# - `spot` runs Spot instances in the private subnets without groups or a template: they get
#   the VPC's default group, which the database does not admit.

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
  tags       = { Name = "batch" }
}

resource "aws_internet_gateway" "main" {
  vpc_id = aws_vpc.main.id
}

resource "aws_subnet" "public" {
  count                   = 2
  vpc_id                  = aws_vpc.main.id
  cidr_block              = cidrsubnet("10.0.0.0/20", 4, count.index)
  availability_zone       = ["us-east-1a", "us-east-1b"][count.index]
  map_public_ip_on_launch = true
}

resource "aws_subnet" "private" {
  count             = 2
  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet("10.0.16.0/20", 4, count.index)
  availability_zone = ["us-east-1a", "us-east-1b"][count.index]
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.main.id
  }
}

resource "aws_route_table_association" "public" {
  count          = 2
  subnet_id      = aws_subnet.public[count.index].id
  route_table_id = aws_route_table.public.id
}

resource "aws_security_group" "gpu" {
  name   = "gpu"
  vpc_id = aws_vpc.main.id
  ingress {
    description = "SSH for debugging"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group" "etl" {
  name   = "etl"
  vpc_id = aws_vpc.main.id
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group" "db" {
  name   = "db"
  vpc_id = aws_vpc.main.id
  ingress {
    description     = "PostgreSQL from the ETL jobs"
    from_port       = 5432
    to_port         = 5432
    protocol        = "tcp"
    security_groups = [aws_security_group.etl.id]
  }
}

resource "aws_instance" "db" {
  ami                    = "ami-12345678"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.private[0].id
  vpc_security_group_ids = [aws_security_group.db.id]
}

resource "aws_launch_template" "gpu" {
  name_prefix            = "batch-gpu-"
  image_id               = "ami-12345678"
  vpc_security_group_ids = [aws_security_group.gpu.id]
}

resource "aws_batch_compute_environment" "gpu" {
  compute_environment_name = "gpu"
  type                     = "MANAGED"
  service_role             = "arn:aws:iam::123456789012:role/aws-batch-service"

  compute_resources {
    type          = "EC2"
    max_vcpus     = 64
    instance_role = "arn:aws:iam::123456789012:instance-profile/batch-instance"
    instance_type = ["g5.xlarge"]
    subnets       = aws_subnet.public[*].id

    launch_template {
      launch_template_id = aws_launch_template.gpu.id
    }
  }
}

resource "aws_batch_compute_environment" "etl" {
  compute_environment_name = "etl"
  type                     = "MANAGED"
  service_role             = "arn:aws:iam::123456789012:role/aws-batch-service"

  compute_resources {
    type               = "FARGATE"
    max_vcpus          = 16
    subnets            = aws_subnet.private[*].id
    security_group_ids = [aws_security_group.etl.id]
  }
}

resource "aws_batch_compute_environment" "spot" {
  compute_environment_name = "spot"
  type                     = "MANAGED"
  service_role             = "arn:aws:iam::123456789012:role/aws-batch-service"

  compute_resources {
    type                = "SPOT"
    max_vcpus           = 32
    bid_percentage      = 60
    instance_role       = "arn:aws:iam::123456789012:instance-profile/batch-instance"
    spot_iam_fleet_role = "arn:aws:iam::123456789012:role/spot-fleet"
    instance_type       = ["optimal"]
    subnets             = aws_subnet.private[*].id
  }
}
